"""The language-model path of the support assistant: one call to an OpenAI-compatible chat API
(hosted, or a local server such as Ollama or llama.cpp) through the ``openai`` client.

The prompt carries the conversation's facts (``assistant_facts``: never a token), the language to
answer in and the allow-list of actions; the reply is read by ``domain.assistant.parse_reply``, so
the model can propose a button only from that list. The API key stays in the server's settings and
is never logged: a failure is logged by its class and HTTP status only.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import openai
from openai.types.chat import ChatCompletionMessageParam

from socializioz.domain.assistant import Action, ModelReply, UnreadableReply, parse_reply
from socializioz.settings import get_settings

log = logging.getLogger(__name__)

LANGUAGE_NAMES = {"en": "English", "ar": "Arabic (العربية)"}
MAX_HISTORY = 6  # earlier messages of the conversation sent along (questions and answers)

SYSTEM_PROMPT = """You are the support assistant of Socializioz, an app that connects social media accounts \
(Facebook Pages, Instagram, TikTok, X, LinkedIn) to a workspace. You help one user fix a connection problem.

Use only the FACTS below and general knowledge of how these platforms' sign-in and permissions work. \
Be short and concrete (at most 5 sentences), name the exact permission or setting, and never invent \
account data. If the facts show the problem (a missing scope, an expired token, paused refresh), say so.

Answer in {language}, whatever language the question is in. Keep codes, scope names and product \
names as they are (Latin letters).

Reply with ONE JSON object and nothing else:
{{"answer": "<your answer>", "action": "<one of {actions} or null>"}}
"action" is the button shown under your answer; choose the one that fixes the problem, or null \
when none of them does. What they do: reconnect = start a reconnect of this account (new consent \
screen); setup_sheet = open the platform's setup guide; retry_connect = start connecting the \
platform again; refresh_now = refresh the token now (admins); open_account = open the account's details.

FACTS (JSON):
{facts}"""


class ModelUnavailable(Exception):
    """The model could not answer; ``reason`` is ``timeout``, ``error`` or ``unreadable``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def build_messages(
    facts: dict[str, Any], history: list[dict[str, str]], question: str, lang: str
) -> list[ChatCompletionMessageParam]:
    """The chat request's messages: the system prompt with the facts, recent turns, the question."""
    actions = facts.get("allowed_actions") or []
    system = SYSTEM_PROMPT.format(
        language=LANGUAGE_NAMES.get(lang, LANGUAGE_NAMES["en"]),
        actions=", ".join(actions) if actions else "(none: always null)",
        facts=json.dumps(facts, ensure_ascii=False, indent=1, sort_keys=True),
    )
    messages: list[ChatCompletionMessageParam] = [{"role": "system", "content": system}]
    for turn in history[-MAX_HISTORY:]:
        if turn.get("role") == "user" and turn.get("content"):
            messages.append({"role": "user", "content": turn["content"]})
        elif turn.get("role") == "assistant" and turn.get("content"):
            messages.append({"role": "assistant", "content": turn["content"]})
    messages.append({"role": "user", "content": question})
    return messages


async def ask_model(
    facts: dict[str, Any],
    history: list[dict[str, str]],
    question: str,
    lang: str,
    allowed: tuple[Action, ...],
) -> ModelReply:
    """The model's answer and its allowed action; ``ModelUnavailable`` on a timeout, an error, or
    a reply with no answer in it (the caller falls back to the catalogue)."""
    settings = get_settings()
    client = openai.AsyncOpenAI(
        base_url=settings.assistant_base_url.strip(),
        api_key=settings.assistant_api_key.get_secret_value() or "not-needed",  # local servers want none
        timeout=settings.assistant_timeout_seconds,
        max_retries=0,  # the user is waiting; the catalogue answers instead
    )
    try:
        completion = await client.chat.completions.create(
            model=settings.assistant_model.strip(), messages=build_messages(facts, history, question, lang)
        )
    except openai.APITimeoutError:
        log.warning("support assistant: the model did not answer within %ss", settings.assistant_timeout_seconds)
        raise ModelUnavailable("timeout") from None
    except openai.APIStatusError as error:
        log.warning("support assistant: the model API answered HTTP %s", error.status_code)
        raise ModelUnavailable("error") from None
    except openai.OpenAIError as error:
        log.warning("support assistant: the model API failed (%s)", type(error).__name__)
        raise ModelUnavailable("error") from None
    finally:
        await client.close()
    choices = getattr(completion, "choices", None) or []
    text = choices[0].message.content if choices else None
    try:
        return parse_reply(text, allowed)
    except UnreadableReply:
        log.warning("support assistant: the model's reply had no answer")
        raise ModelUnavailable("unreadable") from None
