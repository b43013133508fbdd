"""Seeded personas and content: several accounts per platform, Pages with and without a linked
Instagram account, a personal Instagram account, posts with media, engagement and comments.

Media are small SVG ``data:`` URIs so nothing points at an external host.
"""

from __future__ import annotations

import base64
import zlib
from dataclasses import dataclass, field, replace

from socializioz.domain.platforms import is_meta


@dataclass
class Persona:
    id: str
    platform: str
    external_id: str
    name: str
    username: str
    followers: int
    account_type: str = "USER"
    email: str | None = None
    page_ids: tuple[str, ...] = ()
    avatar_url: str = ""


@dataclass
class Page:
    id: str
    name: str
    category: str
    tasks: tuple[str, ...]
    followers: int
    instagram_id: str | None = None
    avatar_url: str = ""


@dataclass
class LinkedInstagram:
    id: str
    username: str
    name: str
    followers: int
    avatar_url: str = ""


@dataclass
class Comment:
    id: str
    text: str
    author: str
    created: float
    likes: int = 0
    parent_id: str | None = None  # a reply's parent comment
    author_id: str = ""


@dataclass
class Post:
    id: str
    platform: str
    owner_id: str
    caption: str
    created: float
    media_url: str | None = None
    reactions: int = 0
    shares: int = 0
    views: int = 0
    comment_list: list[Comment] = field(default_factory=list)
    media_kind: str = ""  # image / video / album; "" with a media_url counts as one image
    media_count: int = 0

    @property
    def media_items(self) -> int:
        """How many media the post holds (seeded posts: their one picture, if any)."""
        return self.media_count or (1 if self.media_url else 0)


@dataclass
class World:
    personas: dict[str, Persona]
    pages: dict[str, Page]
    linked_instagram: dict[str, LinkedInstagram]
    posts: dict[str, Post]


def svg_data_uri(label: str, color: str) -> str:
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320" viewBox="0 0 320 320">'
        f'<rect width="320" height="320" fill="{color}"/><text x="160" y="200" font-size="120" font-weight="bold" fill="#fff" '
        f'text-anchor="middle" font-family="sans-serif">{label}</text></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


ALL_TASKS = ("ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE")

PERSONAS = (
    Persona("fb-alice", "facebook", "10215241773831025", "Alice Baker", "alice.baker", 0, page_ids=("1111", "2222")),
    Persona("fb-bob", "facebook", "10215241773830001", "Bob Nopage", "bob.nopage", 0),
    Persona("ig-studio", "instagram", "17841400000000101", "Acme Studio", "acme_studio", 1234, "BUSINESS"),
    Persona("ig-maya", "instagram", "17841400000000102", "Maya Makes", "maya.makes", 5820, "MEDIA_CREATOR"),
    Persona("ig-sam", "instagram", "17841400000000103", "Sam (personal)", "just.sam", 88, "PERSONAL"),
    Persona("tt-acme", "tiktok", "-000acme-0001", "Acme Bakery", "acmebakery", 120),
    Persona("tt-maya", "tiktok", "-000maya-0002", "Maya Makes", "mayamakes", 15400),
    Persona("x-acme", "x", "1445880548472328192", "Acme Bakery", "acmebakery", 120),
    Persona("x-jane", "x", "1445880548472328193", "Jane Doe", "janedoe", 980),
    Persona("li-jane", "linkedin", "782bbtaQ", "Jane Doe", "jane", 0, email="jane@example.com"),
    Persona("li-omar", "linkedin", "9Xk2mPq1", "Omar Haddad", "omar", 0, email="omar@example.com"),
)
PAGES = (
    Page("1111", "Acme Bakery", "Bakery", ALL_TASKS, 2400, instagram_id="17841400000000001"),
    Page("2222", "Acme Catering", "Caterer", ("ANALYZE", "CREATE_CONTENT", "MODERATE"), 310),
)
LINKED_IG = (LinkedInstagram("17841400000000001", "acme_bakery", "Acme Bakery", 1234),)
# owner id → (colour, captions)
CONTENT = {
    "1111": (
        "#1877F2",
        ("Fresh sourdough is out of the oven!", "Weekend special: cinnamon rolls", "We're hiring bakers"),
    ),
    "2222": ("#0B5CAD", ("Catering for 50? We've got you.",)),
    "17841400000000001": ("#E1306C", ("Behind the counter at 5 am", "Croissant lamination, step 3")),
    "17841400000000101": ("#C13584", ("Studio light test", "New lens day", "Client shoot recap")),
    "17841400000000102": ("#833AB4", ("Knitting a cardigan, week 2",)),
    "-000acme-0001": ("#111111", ("How we shape baguettes", "Day in the bakery")),
    "-000maya-0002": ("#25F4EE", ("Yarn haul!",)),
    "1445880548472328192": ("#0F1419", ("Open until 6 pm today.", "Thanks for 100 followers!")),
    "1445880548472328193": ("#536471", ("Reading list for the weekend",)),
    "782bbtaQ": ("#0A66C2", ("Thrilled to share that Acme is expanding.", "Three lessons from running a bakery")),
}
PLATFORM_OF = {"1111": "facebook", "2222": "facebook", "17841400000000001": "facebook"}


def seed_world(now: float) -> World:
    personas = {p.id: _with_avatar(p) for p in PERSONAS}
    pages = {p.id: replace(p, avatar_url=svg_data_uri(p.name[:2], "#1877F2")) for p in PAGES}
    linked = {i.id: replace(i, avatar_url=svg_data_uri("IG", "#E1306C")) for i in LINKED_IG}
    owners = {p.external_id: p.platform for p in PERSONAS} | PLATFORM_OF
    posts: dict[str, Post] = {}
    for owner, (color, captions) in CONTENT.items():
        platform = owners[owner]
        for n, caption in enumerate(captions):
            post_id = _post_id(platform, owner, n)
            created = now - (n + 1) * 86400 - 3600 * len(caption) % 7
            comments = [
                Comment(f"{post_id}_c{k}", text, author, created + 600 * (k + 1), likes=k)
                for k, (text, author) in enumerate((("Looks great!", "Dana"), ("Open on Sunday?", "Lee"))[: 2 - n % 2])
            ]
            posts[post_id] = Post(
                post_id,
                platform,
                owner,
                caption,
                created,
                svg_data_uri(f"#{n + 1}", color),
                reactions=40 - 7 * n,
                shares=3 + n,
                views=900 + 120 * n,
                comment_list=comments,
            )
    return World(personas, pages, linked, posts)


def _post_id(platform: str, owner: str, n: int) -> str:
    number = f"{zlib.crc32(owner.encode()) % 10**8:08d}{n:04d}"
    if platform == "facebook" and not owner.startswith("178"):
        return f"{owner}_{number}"
    if platform == "linkedin":
        return f"urn:li:share:70{number}"
    return f"17{number}" if is_meta(platform) else f"73{number}"


def _with_avatar(persona: Persona) -> Persona:
    return replace(persona, avatar_url=svg_data_uri(persona.name[:2], "#444"))
