"""Plain HTTP routes mounted beside the Reflex app (things a websocket cannot do, like HttpOnly cookies)."""
