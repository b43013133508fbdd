"""The catalogue contract (architecture issue): every error code the code can produce has an
English and an Arabic entry; every message key the code uses exists and every key of ``en.py`` is
used; pages and components hard-code no user-facing text.

Everything here is found statically with ``ast`` over ``socializioz/`` (plus ``scripts/`` and the
``.jsx`` widgets for key usage), so a new ``raise``, ``t("...")`` or ``rx.text("...")`` is checked
without anyone remembering to add it to a list. Where a code or key is built at run time, the
pattern is modelled below, explicitly, next to the enum or table it comes from.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from socializioz.domain import errors as error_catalogue
from socializioz.i18n import LANGUAGES, ar, ar_errors, en

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "socializioz"
EN = en.MESSAGES
AR = {**ar.MESSAGES, **ar_errors.MESSAGES}  # Arabic as written, without the English fallback
assert LANGUAGES["ar"] is ar.MESSAGES  # the UI's Arabic table is ar.py (which includes ar_errors)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@cache
def _modules() -> dict[str, ast.Module]:
    return {_rel(p): ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in sorted(PACKAGE.rglob("*.py"))}


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _call_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


# ---------------------------------------------------------------------------------------------
# 1. Every error code any service or client can produce has an English and an Arabic entry.
# ---------------------------------------------------------------------------------------------

# Two kinds of code. A *message* code (``ServiceError`` and its subclasses) is an i18n key itself:
# states show it with ``session.t(error.code)``. A *connection* code (``ProviderError``,
# ``FlowRejected``, ``connect._error``) is a code of the spec's error reference: the banner
# resolves it with ``domain.errors.describe`` and shows the entry's cause/what-to-do keys.
MESSAGE, CONNECTION = "message", "connection"

# Exception classes that carry no code for the user (operator errors, internal control flow).
NOT_USER_FACING = {
    "UnknownErrorCode",  # the catalogue lookup's own miss; the banner falls back to the generic entry
    "DecryptionError",  # a stored secret cannot be decrypted: logged, the account needs a reconnect
    "KeyConfigError",  # the operator's key configuration is wrong: the app refuses to start
    "_TokenEndpointFailure",  # Authlib plumbing; re-raised as a classified ProviderError
    # Carries one fixed code, UNSUPPORTED_CODE, whose entry test_unsupported_capability_is_catalogued checks.
    "Unsupported",
    # The language model did not answer usably: the catalogue answers instead, with a note (support.py).
    "ModelUnavailable",
    "UnreadableReply",
}

# Code-carrying calls: name -> (kind, positional index, keyword) of the code argument. The
# exception classes are discovered below from services/errors.py and domain/errors.py; functions
# that pass one of their parameters on as the code (``capped``, ``require_role``,
# ``missing_field``, ...) are discovered too. Only ``_error`` builds a result dict, not an exception.
SEED_SINKS = {
    "ProviderError": (CONNECTION, 1, "code"),  # ProviderError(kind, "code", platform, ...)
    "FlowRejected": (CONNECTION, 0, "code"),  # the spec's General OAuth codes
    "FlowNotStarted": (CONNECTION, 0, "code"),  # services/connect.py: a server setting stops the start
    "_error": (CONNECTION, 1, "code"),  # services/connect.py: _error(platform, "code", **params)
}


@cache
def _exception_classes() -> dict[str, tuple[str, list[str]]]:
    """Every class in the package deriving from an exception: name -> (file, base names)."""
    classes: dict[str, tuple[str, list[str]]] = {}
    for path, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases = [
                    b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else ""
                    for b in node.bases
                ]
                classes[node.name] = (path, bases)
    exceptions: dict[str, tuple[str, list[str]]] = {}
    changed = True
    while changed:
        changed = False
        for name, (path, bases) in classes.items():
            if name not in exceptions and any(
                b in exceptions or (b.endswith(("Error", "Exception")) and b not in classes) for b in bases
            ):
                exceptions[name] = (path, bases)
                changed = True
    return exceptions


def _service_error_classes() -> set[str]:
    found = {"ServiceError"}
    exceptions = _exception_classes()
    while True:
        more = {n for n, (_, bases) in exceptions.items() if set(bases) & found} - found
        if not more:
            return found
        found |= more


def test_every_exception_class_is_classified() -> None:
    """A new exception class must be decided: it carries a user code (a sink) or it does not."""
    known = _service_error_classes() | set(SEED_SINKS) | NOT_USER_FACING
    unclassified = sorted(set(_exception_classes()) - known)
    assert not unclassified, f"decide whether these carry a user-facing code: {unclassified}"


# The sandbox simulates the providers' servers: the codes it answers with are the platforms' wire
# codes (invalid_grant, ...), classified by integrations/ like any real answer, not ours to show.
SCAN_EXCLUDED = ("socializioz/integrations/sandbox/",)


@dataclass(frozen=True)
class Produced:
    code: str
    kind: str
    where: str  # file:line of the call that produces it


@dataclass
class _Scan:
    sinks: dict[str, tuple[str, int, str]]
    produced: list[Produced]
    unresolved: list[str]


def _function_of(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return node
    return None


def _params(func: ast.FunctionDef | ast.AsyncFunctionDef | None) -> list[str]:
    if func is None:
        return []
    names = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
    return names[1:] if names and names[0] in ("self", "cls") else names


def _kwonly(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    return [a.arg for a in func.args.kwonlyargs]


def _code_arg(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if index < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: index + 1]):
        return call.args[index]
    return None


@cache
def _functions_named(name: str, caller: str) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Definitions a call to ``name`` from ``caller`` may reach: the caller module's own, else any
    (methods: every override, e.g. each platform's ``_other_callback_error``)."""
    found = [
        (path, node)
        for path, tree in _modules().items()
        if not path.startswith(SCAN_EXCLUDED)
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name
    ]
    return [f for f in found if f[0] == caller] or found


def _denial_codes() -> set[str]:
    """Every platform's ``denial_codes`` (the callback's ``?error=`` values it passes on as-is)."""
    codes: set[str] = set()
    for tree in _modules().values():
        for node in ast.walk(tree):
            target = (
                node.target
                if isinstance(node, ast.AnnAssign)
                else (node.targets[0] if isinstance(node, ast.Assign) else None)
            )
            if isinstance(target, ast.Name) and target.id == "denial_codes" and node.value is not None:
                codes |= {
                    c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant) and isinstance(c.value, str)
                }
    return codes


def _gate_codes() -> set[str]:
    from socializioz.domain.connect_rules import Gate

    return {f"connect.gate.{g.value}" for g in Gate if g is not Gate.OPEN}


# Codes built at run time, by (file, source of the expression): what they can be, modelled here.
MODELLED_CODES = {
    # connect.start_flow raises ValidationError(f"connect.gate.{gate.gate.value}") for every gate but OPEN.
    ("socializioz/services/connect.py", "f'connect.gate.{gate.gate.value}'"): _gate_codes,
    # BaseProvider.parse_callback: a denial code of the platform, else _other_callback_error(error)
    # (scanned separately: its returns are collected as codes where they are literals).
    ("socializioz/integrations/base.py", "error"): _denial_codes,
    # ErrorRules.flow_error_code's default: None means "the general rule decides" (no code of its own);
    # each client's override returns the platform's codes, which test_platform_registry checks.
    ("socializioz/integrations/classify.py", "None"): set,
    # Provider.refuse_account_type: the record's refused-account code (Instagram PERSONAL).
    ("socializioz/integrations/base.py", "rules.refused_code"): lambda: {
        info.accounts.refused_code for info in _platform_infos() if info.accounts.refused_code
    },
    # TikTok's status fail_reason → (kind, code) table; an unknown reason is content_rejected.
    ("socializioz/integrations/tiktok.py", "code"): lambda: _tiktok_fail_codes(),
    # compose: f"compose.{platform}_needs_media" for each platform whose record requires media.
    # inbox: a reply refused for the account's messaging problem (inbox_view.messaging_problem).
    ("socializioz/services/inbox.py", "f'inbox.problem.{problem}'"): lambda: _inbox_problems(),
    # inbox: any other platform refusal of a reply is explained by its catalogue entry's cause.
    ("socializioz/services/inbox.py", "error.entry.cause_key"): lambda: {
        key for key in error_catalogue.i18n_messages() if key.endswith(".cause")
    },
    ("socializioz/services/compose.py", "f'compose.{media_needed}_needs_media'"): lambda: {
        f"compose.{info.platform.value}_needs_media" for info in _platform_infos() if _needs_media(info)
    },
}


def _inbox_problems() -> set[str]:
    return {f"inbox.problem.{p}" for p in ("via_page", "needs_reconnect", "missing_scope")}


def _platform_infos():
    from socializioz.domain.platforms import PLATFORMS

    return PLATFORMS.values()


def _tiktok_fail_codes() -> set[str]:
    from socializioz.integrations.tiktok import FAIL_REASONS

    return {"content_rejected"} | {code for _, code in FAIL_REASONS.values()}


def _needs_media(info) -> bool:
    from socializioz.services.compose import needs_media

    return needs_media(info.platform.value)


# Returned parameters of ``_other_callback_error`` are the platform's own codes: only TikTok's pass
# through to the banner (spec: "TikTok errors" are shown as-is; ``describe`` handles them).
PASSTHROUGH_FILES = {"socializioz/integrations/tiktok.py"}


def _resolve(expr: ast.expr, path: str, func, scan: _Scan, where: str, depth: int = 0) -> set[str] | None:
    """The string codes ``expr`` can evaluate to; None when it is a forwarded parameter or a
    re-raised ``.code`` (checked where it originates). Unknown shapes go to ``scan.unresolved``."""
    if depth > 8:
        scan.unresolved.append(f"{where}: too deep: {ast.unparse(expr)}")
        return set()
    modelled = MODELLED_CODES.get((path, ast.unparse(expr)))
    if modelled is not None:
        return modelled()
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        return (_resolve(expr.body, path, func, scan, where, depth + 1) or set()) | (
            _resolve(expr.orelse, path, func, scan, where, depth + 1) or set()
        )
    if isinstance(expr, ast.BoolOp):
        out: set[str] = set()
        for value in expr.values:
            out |= _resolve(value, path, func, scan, where, depth + 1) or set()
        return out
    if isinstance(expr, ast.Attribute) and expr.attr == "code":
        return None  # error.code / rejected.code / err.code: a code produced (and checked) elsewhere
    if isinstance(expr, ast.Name):
        if func is not None and expr.id in _params(func) + _kwonly(func):
            return None  # a forwarded parameter: the function is a sink, its callers are checked
        scopes = [func] if func is not None else []
        scopes.append(_modules()[path])
        for scope in scopes:
            values = [
                node.value
                for node in ast.walk(scope)
                if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets)
            ]
            if values:
                out = set()
                for value in values:
                    out |= _resolve(value, path, func, scan, where, depth + 1) or set()
                return out
    if isinstance(expr, ast.Call) and (name := _call_name(expr)) and _functions_named(name, path):
        out = set()
        for fpath, fdef in _functions_named(name, path):
            for ret in ast.walk(fdef):
                if isinstance(ret, ast.Return) and ret.value is not None:
                    if isinstance(ret.value, ast.Name) and ret.value.id in _params(fdef):
                        assert fpath in PASSTHROUGH_FILES, f"{fpath}:{ret.lineno} passes a raw code through"
                        continue
                    out |= _resolve(ret.value, fpath, fdef, scan, f"{fpath}:{ret.lineno}", depth + 1) or set()
        return out
    scan.unresolved.append(f"{where}: {ast.unparse(expr)}")
    return set()


@cache
def _scan() -> _Scan:
    sinks = dict(SEED_SINKS)
    sinks.update({name: (MESSAGE, 0, "code") for name in _service_error_classes()})
    # Functions that forward a parameter as the code become sinks themselves (to a fixed point).
    changed = True
    while changed:
        changed = False
        for path, tree in _modules().items():
            if path.startswith(SCAN_EXCLUDED):
                continue
            parents = _parents(tree)
            for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
                name = _call_name(call)
                if name not in sinks:
                    continue
                arg = _code_arg(call, sinks[name][1], sinks[name][2])
                func = _function_of(call, parents)
                if func is None or func.name in sinks or arg is None:
                    continue
                operands = arg.values if isinstance(arg, ast.BoolOp) else [arg]  # `code or _code(...)`
                names = {n.id for n in operands if isinstance(n, ast.Name)}
                for param in names & set(_params(func)):
                    sinks[func.name] = (sinks[name][0], _params(func).index(param), param)
                    changed = True
    scan = _Scan(sinks, [], [])
    for path, tree in _modules().items():
        if path.startswith(SCAN_EXCLUDED):
            continue
        parents = _parents(tree)
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = _call_name(call)
            if name not in sinks:
                continue
            kind, index, keyword = sinks[name]
            arg = _code_arg(call, index, keyword)
            if arg is None:
                continue  # the parameter's default ("" for require_role without a role check)
            where = f"{path}:{call.lineno}"
            for code in _resolve(arg, path, _function_of(call, parents), scan, where) or set():
                scan.produced.append(Produced(code, kind, where))
    return scan


def _resolves(item: Produced) -> tuple[bool, bool]:
    """(English, Arabic) for a produced code, through the lookup the UI uses."""
    if item.kind == MESSAGE:
        keys = [item.code]
    else:
        entry = error_catalogue.lookup(item.code)
        if entry is None:
            return False, False
        keys = [entry.cause_key, entry.what_to_do_key]
    return all(k in EN for k in keys), all(k in AR for k in keys)


# Codes raised today without an entry. Entries added by the platform-home work (it owns adding
# catalogue entries for codes that lack them; this branch may only remove keys from i18n/).
# test_known_missing_codes_are_still_missing fails as soon as one gains an entry, so this set
# shrinks to empty at merge.
KNOWN_MISSING: set[str] = set()  # every raised code has its entry today; keep it that way


def _missing() -> dict[str, list[str]]:
    missing: dict[str, list[str]] = {}
    for item in _scan().produced:
        english, arabic = _resolves(item)
        if not (english and arabic):
            what = "no entry" if not english and not arabic else "no English" if not english else "no Arabic"
            missing.setdefault(item.code, []).append(f"{item.where} ({item.kind}, {what})")
    return missing


def test_the_scan_finds_the_codes_it_should() -> None:
    """Guards the scanner itself: known producers of every shape are seen."""
    codes = {(p.code, p.kind) for p in _scan().produced}
    for expected in [
        ("auth.email_too_long", MESSAGE),  # through capped(..., code)
        ("workspace.owner_only", MESSAGE),  # through require_role(..., code)
        ("connect.gate.full", MESSAGE),  # modelled f-string
        ("missing_token_fields", CONNECTION),  # through missing_field(..., code, ...)
        ("instagram_personal_account", CONNECTION),  # modelled: the record's refused-account code
        ("compose.tiktok_needs_media", MESSAGE),  # modelled f-string over the records' media rules
        ("state_expired", CONNECTION),  # FlowRejected
        ("social_account_creation_failed", CONNECTION),  # _error(platform, _save_failure_code(...))
        ("user_cancelled_login", CONNECTION),  # LinkedIn's denial_codes
        ("no_access_token", CONNECTION),  # local IfExp in token_set_or_no_access_token
    ]:
        assert expected in codes, expected
    for sink in ("capped", "require_role", "missing_field", "permission_error"):
        assert sink in _scan().sinks


def test_unsupported_capability_is_catalogued() -> None:
    from socializioz.domain.errors import UNSUPPORTED_CODE, describe

    entry = describe(UNSUPPORTED_CODE)
    assert EN[entry.cause_key] and AR[entry.cause_key] and EN[entry.what_to_do_key] and AR[entry.what_to_do_key]


def test_every_code_expression_is_understood() -> None:
    unresolved = sorted(set(_scan().unresolved))
    assert not unresolved, "model these code expressions in MODELLED_CODES:\n" + "\n".join(unresolved)


def test_every_produced_error_code_has_english_and_arabic_text() -> None:
    missing = {code: where for code, where in _missing().items() if code not in KNOWN_MISSING}
    assert not missing, "error codes without a catalogue entry:\n" + "\n".join(
        f"  {code}: {', '.join(sorted(set(where)))}" for code, where in sorted(missing.items())
    )


@pytest.mark.parametrize("code", sorted(KNOWN_MISSING) or ["<none>"])
def test_known_missing_codes_are_still_missing(code: str) -> None:
    """Remove a code from KNOWN_MISSING once its entry exists (the set must shrink to empty)."""
    if code == "<none>":
        return
    assert code in _missing(), f"{code} now has an entry: remove it from KNOWN_MISSING"


# ---------------------------------------------------------------------------------------------
# 2. Every key used exists; every key of en.py is used.
# ---------------------------------------------------------------------------------------------

NAMESPACES = {key.split(".", 1)[0] for key in EN}
KEY_LIKE = re.compile(r"^(?P<ns>[a-z_]+)\.[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$")
# Where keys are read: the package (minus the catalogues themselves), the scripts that render the
# offline page and manifest, and the JS widgets that receive labels.
USAGE_ROOTS = [PACKAGE, ROOT / "scripts"]
JS_STRING = re.compile(r"""(["'`])([a-z_]+(?:\.[A-Za-z0-9_]+)+)\1""")


def _usage_files() -> Iterator[Path]:
    for root in USAGE_ROOTS:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".jsx", ".js") and "i18n" not in path.relative_to(ROOT).parts:
                yield path


@cache
def _literals() -> dict[str, list[str]]:
    """Every string literal of the usage files -> where it appears."""
    found: dict[str, list[str]] = {}
    for path in _usage_files():
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.setdefault(node.value, []).append(f"{_rel(path)}:{node.lineno}")
        else:
            for match in JS_STRING.finditer(text):
                found.setdefault(match.group(2), []).append(_rel(path))
    return found


def _source_contains(fragment: str) -> bool:
    return any(fragment in p.read_text(encoding="utf-8") for p in _usage_files())


def _module_constant(path: str, name: str) -> object:
    for node in _modules()[path].body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise LookupError(f"{path} has no module-level {name}")


def _dynamic_families() -> dict[str, tuple[str, set[str]]]:
    """Keys built at run time: family -> (a fragment of the code that builds them, the keys)."""
    from socializioz.domain.assistant import Action
    from socializioz.domain.errors import ErrorKind
    from socializioz.domain.plans import Plan
    from socializioz.services import refresh_store
    from socializioz.services.token_debug import REFRESH_EVENT_PREFIX
    from socializioz.services.token_refresh import Outcome
    from socializioz.services.workspaces import Role

    # Read statically: importing pages/components here would import the whole Reflex app.
    INSTAGRAM_PATH = _module_constant("socializioz/components/connect_dialogs.py", "INSTAGRAM_PATH")
    TOUR_STEPS = _module_constant("socializioz/pages/connections.py", "TOUR_STEPS")
    plans = [p.value for p in Plan]
    refresh_events = [
        v for n, v in vars(refresh_store).items() if n.startswith("EVENT_") and v.startswith(REFRESH_EVENT_PREFIX)
    ]
    return {
        # error.<code>.cause / error.<group>.<code>.what_to_do: every catalogue entry's keys, shown
        # by the banner and the result page from CatalogueEntry.cause_key / what_to_do_key.
        "error": ("entry.cause_key", set(error_catalogue.i18n_messages())),
        # plan.<plan>, plan.limit.<plan>, plan.platforms.<plan>: pages/billing.py, state/billing.py.
        "plan": ('"plan.{', {f"plan.{p}" for p in plans}),
        "plan.limit": ("plan.limit.{", {f"plan.limit.{p}" for p in plans}),
        "plan.platforms": ("plan.platforms.{", {f"plan.platforms.{p}" for p in plans}),
        # workspace.role.<role>: role badges (t_var("workspace.role." + role)) and the role picker.
        "workspace.role": ('"workspace.role." +', {f"workspace.role.{r.value}" for r in Role}),
        # connect.gate.<gate>: ValidationError from connect.start_flow for every gate but OPEN.
        "connect.gate": ("connect.gate.{", _gate_codes()),
        # refresh.outcome.<outcome>: the manual refresh's toast (state/accounts.py).
        "refresh.outcome": ("refresh.outcome.{", {f"refresh.outcome.{o.value}" for o in Outcome}),
        # connect.ig.path.<step>: the Instagram "how to switch" breadcrumbs.
        "connect.ig.path": ("connect.ig.path.{", {f"connect.ig.path.{s}" for s in INSTAGRAM_PATH}),
        # accounts.sync.<status>: content_sync.SyncResult statuses ("synced", "unsupported", or an
        # ErrorKind value, rejected content reported as temporary).
        "accounts.sync": (
            '"accounts.sync." +',
            {"accounts.sync.synced", "accounts.sync.unsupported"}
            | {f"accounts.sync.{k.value}" for k in ErrorKind if k is not ErrorKind.REJECTED_CONTENT},
        ),
        # debug.result.<event without "token_">: the last refresh event on the token debug panel.
        "debug.result": (
            '"debug.result." +',
            {f"debug.result.{e.removeprefix(REFRESH_EVENT_PREFIX)}" for e in refresh_events},
        ),
        # assistant.action.<action>: the assistant's fixing buttons (pages/support.py).
        "assistant.action": ('t(f"assistant.action.{', {f"assistant.action.{a.value}" for a in Action}),
        # inbox.problem.<problem>: why an account cannot message (services/inbox.py, the inbox page).
        "inbox.problem": ("inbox.problem.{", _inbox_problems()),
        # tour.<step>.title / .body: the guided tour's steps (pages/connections.py TOUR_STEPS).
        "tour": ('f"{key}.title"', {f"{k}.{part}" for _, k in TOUR_STEPS for part in ("title", "body")}),
    }


@cache
def _used_keys() -> set[str]:
    used = {s for s in _literals() if s in EN}
    for _, keys in _dynamic_families().values():
        used |= keys
    used |= {p.code for p in _scan().produced if p.kind == MESSAGE}
    return used


@pytest.mark.parametrize("family", sorted(_dynamic_families()))
def test_dynamic_key_families_are_built_in_code_and_exist(family: str) -> None:
    fragment, keys = _dynamic_families()[family]
    assert _source_contains(fragment), f"the {family} family is no longer built ({fragment!r}): update the model"
    missing = sorted(keys - set(EN))
    assert not missing, f"keys built at run time but missing from en.py: {missing}"


def _t_call_keys() -> dict[str, list[str]]:
    """Literal keys passed to t(), t_var(), session.t(), translate(lang, ...) and messages[...]."""
    found: dict[str, list[str]] = {}
    for path, tree in _modules().items():
        if "/i18n/" in path:
            continue
        for node in ast.walk(tree):
            arg = None
            if isinstance(node, ast.Call):
                name = _call_name(node)
                if name in ("t", "t_var") and node.args:
                    arg = node.args[0]
                elif name == "translate" and len(node.args) > 1:
                    arg = node.args[1]
            elif isinstance(node, ast.Subscript) and isinstance(node.value, (ast.Name, ast.Attribute)):
                container = node.value.id if isinstance(node.value, ast.Name) else node.value.attr
                arg = node.slice if container == "messages" else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault(arg.value, []).append(f"{path}:{node.lineno}")
    return found


def test_every_key_read_by_code_exists() -> None:
    missing = {k: v for k, v in _t_call_keys().items() if k not in EN}
    assert not missing, f"keys read with t()/translate()/messages[] but not in en.py: {missing}"


# Literals that look like keys of a catalogue namespace but are not keys.
NOT_KEYS = {
    "x.com",  # X's host
    "workspace.id",  # a SQL foreign key (models.py)
    "media.write",  # X's OAuth scope for media uploads
    "media.media_ids",  # X's request field (a tweet's attached media)
}


def test_every_key_like_literal_exists() -> None:
    """A literal shaped like a key of a catalogue namespace ("compose.saved") must be a key: it is
    usually one passed through a helper (page_header, _row, _requirement, a state var)."""
    missing = {
        s: where
        for s, where in _literals().items()
        if (m := KEY_LIKE.match(s))
        and m["ns"] in NAMESPACES
        and s not in EN
        and s not in NOT_KEYS | KNOWN_MISSING
        and not any(k.startswith(s + ".") for _, keys in _dynamic_families().values() for k in keys)  # a prefix
    }
    assert not missing, "key-like literals missing from en.py:\n" + "\n".join(
        f"  {k}: {', '.join(v)}" for k, v in sorted(missing.items())
    )


# Keys whose use is a pending fix in pages/components (owned by the layering work right now).
PENDING_USE: set[str] = set()  # keys defined ahead of the code that will use them (none today)


def test_every_english_key_is_used() -> None:
    unused = sorted(set(EN) - _used_keys() - PENDING_USE)
    assert not unused, f"keys of en.py no code uses (remove them from en.py and ar.py): {unused}"


def test_arabic_has_no_keys_english_lacks() -> None:
    extra = sorted(set(AR) - set(EN))
    assert not extra, f"Arabic keys without an English source: {extra}"


# ---------------------------------------------------------------------------------------------
# 3. No user-facing literal is hard-coded in pages/ and components/.
# ---------------------------------------------------------------------------------------------

UI_DIRS = ("socializioz/pages/", "socializioz/components/")
# Components whose positional string arguments are shown to the user as text.
TEXT_COMPONENTS = {
    "text",
    "heading",
    "button",
    "link",
    "badge",
    "callout",
    "span",
    "strong",
    "em",
    "label",
    "p",
    "h1",
    "h2",
    "h3",
    "title",
    "description",
    "item",
    "trigger",
    "tooltip",
    "toast",
    "option",
    "radio",
    "checkbox",
    "switch",
    "tab",
    "tabs_trigger",
    "blockquote",
    "alert",
    "error",
    "success",
    "info",
    "warning",
}
# Keyword props that are user-facing text.
TEXT_PROPS = {"placeholder", "aria_label", "title", "label", "alt", "content", "description", "text"}
HAS_LETTER = re.compile(r"[^\W\d_]")

# Literals that are not translatable text, each with why.
ALLOWED_LITERALS = {
    "Socializioz",  # the brand name
    "SocializioZ",  # the brand's wordmark casing on the result page
    "IG_DIRECT_NOT_PUBLISHABLE · ",  # an error code of the spec, shown verbatim like the banner's code
    "https://…",  # a URL shape as the media field's placeholder: the same in every language
}


def _is_rx_call(call: ast.Call) -> bool:
    node = call.func
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id == "rx"


def _hard_coded() -> list[str]:
    found = []
    for path, tree in _modules().items():
        if not path.startswith(UI_DIRS):
            continue
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            if not _is_rx_call(call):
                continue
            candidates: list[tuple[str, ast.expr]] = []
            if _call_name(call) in TEXT_COMPONENTS:
                candidates += [("child", a) for a in call.args]
            candidates += [(kw.arg, kw.value) for kw in call.keywords if kw.arg in TEXT_PROPS]
            for label, value in candidates:
                if (
                    isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and HAS_LETTER.search(value.value)
                    and value.value not in EN
                    and value.value not in ALLOWED_LITERALS
                ):
                    found.append(f"{path}:{value.lineno}: rx.{_call_name(call)} {label}={value.value!r}")
    return found


# Offenders found when this test was written, in files owned by the parallel layering work; each
# must move to the catalogue (t("...")) there. The test fails when one is fixed, so the list shrinks.
KNOWN_HARD_CODED = {
    # Browser tab titles: rx.page takes a compile-time string in Reflex 0.10, so these stay English
    # until titles are set per language at run time (the page body itself is translated).
    "rx.page title='Sign in · Socializioz'",  # pages/auth.py
    "rx.page title='Sign up · Socializioz'",  # pages/auth.py
    "rx.page title='Connection · Socializioz'",  # pages/oauth_result.py
}


def test_no_user_facing_literal_in_pages_and_components() -> None:
    offenders = [o for o in _hard_coded() if o.split(": ", 1)[1] not in KNOWN_HARD_CODED]
    assert not offenders, 'hard-coded user-facing text (use t("key")):\n' + "\n".join(offenders)


def test_known_hard_coded_literals_are_still_there() -> None:
    present = {o.split(": ", 1)[1] for o in _hard_coded()}
    fixed = sorted(KNOWN_HARD_CODED - present)
    assert not fixed, f"fixed: remove from KNOWN_HARD_CODED: {fixed}"
