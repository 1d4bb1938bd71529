"""pulumi_aws: a service package imports each resource module when one of its names is first read, and its
type modules (`_inputs`, `outputs`, `_enums`) build each class when it is first read.

pulumi_aws's service packages (`pulumi_aws.ec2`, ...) import every resource module of the service when first
touched (183 for ec2), and their class bodies are most of a fresh preview's import time; a package found
while `lazy_service_packages` is on imports each module when one of its names is first read. Each resource
module star-imports its service's `_inputs` and imports its `outputs`, thousands of classes (2,042 and 1,041
for wafv2) that were then built; in such a package both build a class when it is first read (prod reads 393
input and 252 output types of 6,444), and a module's star import binds only the input types the module
names. An input type names others as strings, which pulumi resolves in a copy of the module's namespace
(`_types._globals_for_cls`, hooked so that it builds the ones a class names first); a direct
`typing.get_type_hints` on an input type or TypedDict (or its `__init__`), which pulumi never makes, can find
a named type not yet built (NameError) unless it is read from the module first. Each `_enums` (ec2's
InstanceType and iam's ManagedPolicy, about 27 ms each, were built by every `_inputs` header's star import)
builds an enum when first read too: star imports of it bind only the enums the importing module names, and a
lazy `_inputs` or `outputs` class gets those its body names bound just before it is built.
"""
from __future__ import annotations

import builtins
import contextlib
import functools
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import re
import sys
import threading
import types
import typing
from typing import Any, Iterator, Optional

from pulumi import _types as types_module

from . import pins

_SERVICE_PACKAGE = re.compile(r"pulumi_aws\.[a-z0-9_]+")
# Every line a generated service package's __init__.py has; any other line and the package loads as shipped.
_INIT_LINE = re.compile(r"from \.(?P<star>[a-z0-9_]+) import \*|from \. import (?P<module>[a-z0-9_]+)|"
                        r"import builtins as _builtins|from \.\. import _utilities|import typing|#.*|")
_ALL = re.compile(r"^__all__ = \[(.*?)\]", re.S | re.M)


def _read_until(path: str, pattern: re.Pattern) -> Optional[tuple[str, re.Match]]:
    """A generated module's text up to the first match of `pattern`, and the match: the modules are large
    (wafv2's `_inputs` is 2.8 MB) and what is wanted comes first. None if nothing matches."""
    with open(path, encoding="utf-8") as handle:
        text = ""
        while chunk := handle.read(65536):
            text += chunk
            match = pattern.search(text)
            if match:
                return text, match
    return None


def _exported_names(path: str) -> Optional[list[str]]:
    """A generated module's `__all__`, read from its text (it comes before any class); None if not found."""
    found = _read_until(path, _ALL)
    return re.findall(r"'([^']+)'", found[1][1]) if found else None


class _LazyServicePackage(types.ModuleType):
    """A service package whose `from .x import *` lines run when one of their names is first read."""

    def __getattr__(self, name: str):
        names, package = self.__dict__["_lazy_names"], self.__name__
        if name in names:
            submodule = importlib.import_module(f"{package}.{names[name]}")  # binds its names: see __setattr__
            if name not in self.__dict__:  # imported before this package could bind them
                types.ModuleType.__setattr__(self, name, getattr(submodule, name))
            return self.__dict__[name]
        if not name.startswith("__") and importlib.util.find_spec(f"{package}.{name}") is not None:
            return importlib.import_module(f"{package}.{name}")  # a submodule read as an attribute
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __setattr__(self, name: str, value) -> None:
        # The import system binds a submodule on its package. In the shipped package a star-imported name of
        # the same spelling holds that slot (`get_eips` the function, not its module): `__getattr__` reads it.
        if name in self.__dict__.get("_lazy_names", {}) and isinstance(value, types.ModuleType) and \
                value.__name__ == f"{self.__name__}.{name}":
            return
        super().__setattr__(name, value)

    def __dir__(self):
        return sorted(set(self.__dict__) | set(self.__dict__["__all__"]))


class _ServicePackageLoader(importlib.abc.Loader):
    """Executes a service package's `__init__.py` lazily: the names its `from .x import *` lines would bring
    are read from each module's `__all__`, and a module is imported when one of them is first read; its
    names are then bound as the star import binds them, to the same objects from the same modules. A
    package that does not have the generated shape loads as shipped."""

    def __init__(self, shipped: importlib.abc.Loader, init_path: str):
        self._shipped, self._init_path = shipped, init_path

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        plan = self._plan()
        if plan is None:
            self._shipped.exec_module(module)
            return
        names, submodules = plan
        module.__dict__["_lazy_names"] = names
        # What the __init__'s plain import lines bind, and what executing it would set.
        module.__dict__.update(_builtins=builtins, typing=typing, __builtins__=builtins.__dict__,
                               _utilities=importlib.import_module("pulumi_aws._utilities"))
        # The public names the shipped package ends up with, so `from pulumi_aws.x import *` binds them all.
        module.__dict__["__all__"] = sorted(n for n in {*names, *submodules, "typing"} if not n.startswith("_"))
        module.__class__ = _LazyServicePackage  # `from . import outputs` too waits until it is read

    def _plan(self) -> Optional[tuple[dict[str, str], list[str]]]:
        """Each name the star imports bring, with the module it comes from; and every module imported (which
        the import system binds on the package)."""
        with open(self._init_path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        directory = self._init_path.rsplit("/", 1)[0]
        names: dict[str, str] = {}
        submodules: list[str] = []
        for line in lines:
            match = _INIT_LINE.fullmatch(line)
            if match is None:
                return None
            if match["star"]:
                exported = _exported_names(f"{directory}/{match['star']}.py")
                if exported is None:
                    return None
                names.update(dict.fromkeys(exported, match["star"]))  # a later star import wins, as in Python
            if match["star"] or match["module"]:
                submodules.append(match["star"] or match["module"])
        return names, submodules


# A service's input types: `@pulumi.input_type class XArgs:` and `class XArgsDict(TypedDict):`; its output
# types: `@pulumi.output_type class X(dict):`; each after a header of imports and `__all__`. The loaders' `plan`
# checks a module has that shape (tests/test_preview_speed.py checks every module of PULUMI_AWS_VERSION
# does), and any other loads as shipped.
_INPUTS_BODY = re.compile(r"^(?:@pulumi\.input_type|class )", re.M)
_OUTPUTS_BODY = re.compile(r"^(?:@pulumi\.output_type|class )", re.M)
# A service's enums: `@pulumi.type_token("aws:...") class X(_builtins.str, Enum):`, each line as generated.
_ENUMS_BODY = re.compile(r"^(?:@pulumi\.type_token|class )", re.M)
_ENUM_CLASS = re.compile(r'^@pulumi\.type_token\("([^"\\]*)"\)\nclass (\w+)\(_builtins\.str, Enum\):$', re.M)
_TYPED_DICT = "Dict"  # the suffix of a TypedDict's name


def _build_type(module: types.ModuleType, name: str):
    """Class `name` of a lazy type module (a service's `_inputs`, `outputs` or `_enums`), built from the class
    body its compiled code holds when first read: the module's `_lazy_bodies` maps each name to its body,
    its bases and the pulumi decorator to apply, if any (a name, or a factory's name and argument). The
    enums the body names are bound in the module first (see `_TypesLoader.exec_module`); another enum of the
    service is read from `_enums`, as the module's star import would have bound it."""
    bodies, enums = module.__dict__["_lazy_bodies"], module.__dict__.get("_lazy_enums")
    if name not in bodies:
        if enums is None or name not in enums.__dict__["_lazy_bodies"]:
            raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")
        module.__dict__.setdefault(name, getattr(enums, name))
        return module.__dict__[name]
    with _build_lock:
        if name not in module.__dict__:
            body, bases, decorator = bodies[name]
            if enums is not None:  # the body runs with the module's dict as globals: the enums it names
                for named in _classes_named(body, enums.__dict__["_lazy_bodies"]):
                    module.__dict__.setdefault(named, getattr(enums, named))
            cls = builtins.__build_class__(types.FunctionType(body, module.__dict__, name), name, *bases)
            if isinstance(decorator, tuple):  # `@pulumi.type_token("aws:...")`
                cls = getattr(module.__dict__["pulumi"], decorator[0])(decorator[1])(cls)
            elif decorator:
                cls = getattr(module.__dict__["pulumi"], decorator)(cls)
            types.ModuleType.__setattr__(module, name, cls)
    return module.__dict__[name]


def _lazy_dir(module: types.ModuleType, names: typing.Iterable[str]) -> list[str]:
    """`dir()` of a module whose `names` its `__getattr__` answers (and its service's enums, if lazy), without
    the laziness's own entries."""
    enums = module.__dict__.get("_lazy_enums")
    return sorted((set(module.__dict__) - {"_lazy_bodies", "_lazy_enums", "__getattr__", "__dir__"}) |
                  set(names) | set(enums.__dict__["_lazy_bodies"] if enums is not None else ()))


class _StarScoped(types.ModuleType):
    """A lazy type module whose `__all__`, while a module of its service runs a star import of it, is the
    names that module names (see `_star_scope`); otherwise it is the module's own."""

    @property
    def __all__(self):  # type: ignore[override]
        scope = getattr(_star_names, "value", None)
        return scope[self] if scope is not None and self in scope else self.__dict__["__all__"]

    def __getattr__(self, name: str):
        return _build_type(self, name)

    def __dir__(self):
        return _lazy_dir(self, self.__dict__["_lazy_bodies"])


@contextlib.contextmanager
def _star_scope(names: dict) -> Iterator[None]:
    """Within the block, this thread's star import of each lazy module in `names` binds those names only."""
    outer = getattr(_star_names, "value", None)
    _star_names.value = names
    try:
        yield
    finally:
        _star_names.value = outer


class _LazyInputs(_StarScoped):
    """A service's `_inputs`, lazy (`_build_type`). A class's annotations name other input types as strings
    (`pulumi.Input['XArgs']`), which pulumi resolves in a copy of this module's namespace that
    `_globals_for_cls` makes: `_globals_for_lazy_types` builds the types a class names before that copy is
    made (the types those name wait until pulumi resolves theirs). The enums a class names are bound when it
    is built, so they are in that copy too."""

    def build_named_by(self, name: str) -> None:
        """Build the input types that class `name`'s body names."""
        bodies = self.__dict__["_lazy_bodies"]
        if name in bodies:
            for named in _classes_named(bodies[name][0], bodies):
                getattr(self, named)


class _LazyEnums(_StarScoped):
    """A service's `_enums`, lazy (`_build_type`): `InstanceType` (1,405 members) is built when first read."""


_build_lock = threading.RLock()
_star_names = threading.local()  # {lazy module: the names its star import binds} while a module runs


def _classes_named(code: types.CodeType, bodies: dict) -> set[str]:
    """The classes of `bodies` a code object, and the code nested in it, names: as globals it reads, or in
    string annotations (`pulumi.Input['XArgs']`), which get_type_hints resolves in the module's namespace."""
    found, pending = set(), [code]
    while pending:
        current = pending.pop()
        if isinstance(current, types.CodeType):
            found.update(n for n in current.co_names if n in bodies)
            pending.extend(current.co_consts)
        elif isinstance(current, str):
            if current in bodies:
                found.add(current)
        elif isinstance(current, (tuple, frozenset)):  # `Union['XArgs', 'XArgsDict']` folds into one tuple
            pending.extend(current)
    return found


_sdk_globals_for_cls = types_module._globals_for_cls


def _globals_for_lazy_types(cls: type) -> Optional[dict[str, Any]]:
    """pulumi's `_globals_for_cls` (the namespace it resolves a class's annotations in: a copy of its
    module's), once the lazy input types `cls` and its bases name are built. pulumi resolves every
    annotation of pulumi_aws's classes through it (input, output and resource types alike)."""
    for base in cls.__mro__:
        module = sys.modules.get(base.__module__)
        if isinstance(module, _LazyInputs):
            module.build_named_by(base.__name__)
    return _sdk_globals_for_cls(cls)


class _TypesLoader(importlib.abc.Loader):
    """Runs a generated type module's header (imports, `__all__`) and keeps each class body for the lazy
    module; a module of another shape loads as shipped."""

    _body: re.Pattern  # where the header ends
    _names: frozenset[str]  # the names the classes' own lines read, beyond the header's and the classes'

    def __init__(self, shipped: importlib.abc.SourceLoader, path: str):
        self._shipped, self._path = shipped, path

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        plan = self.plan(module.__name__)
        if plan is None:
            self._shipped.exec_module(module)
            return
        header, bodies = plan
        # The header's `from ._enums import *` binds no lazy enum: `_build_type` binds those a class names.
        enums = importlib.import_module(module.__name__.rpartition(".")[0] + "._enums") \
            if "_enums" in header.co_names else None
        enums = enums if isinstance(enums, _LazyEnums) else None
        with _star_scope({enums: []} if enums is not None else {}):
            exec(header, module.__dict__)
        if set(module.__dict__["__all__"]) != set(bodies):
            self._shipped.exec_module(module)
            return
        module.__dict__["_lazy_bodies"] = self._classes(module, bodies)
        if enums is not None:
            module.__dict__["_lazy_enums"] = enums
        with _build_lock:  # from now on pulumi resolves annotations through the hook (and stays so)
            types_module._globals_for_cls = _globals_for_lazy_types
        self._make_lazy(module)

    def plan(self, name: str) -> Optional[tuple[types.CodeType, dict[str, types.CodeType]]]:
        """The compiled header and each class's body, if the module has the generated shape: a header, then
        only classes named as generated, none needing a closure, and nothing else at the top level (no name
        beyond the header's, the classes' and `_names`)."""
        found = _read_until(self._path, self._body)
        if found is None:
            return None
        header = compile(found[0][:found[1].start()], self._path, "exec", dont_inherit=True)
        code = self._shipped.get_code(name)
        bodies = {c.co_name: c for c in code.co_consts if isinstance(c, types.CodeType)}
        if any(c.co_freevars for c in bodies.values()) or not all(self._generated(n) for n in bodies) or \
                not set(code.co_names) <= set(header.co_names) | set(bodies) | self._names:
            return None
        return header, bodies

    @staticmethod
    def _generated(name: str) -> bool:
        return True

    def _classes(self, module, bodies: dict[str, types.CodeType]) -> dict[str, tuple]:
        raise NotImplementedError

    def _make_lazy(self, module) -> None:
        raise NotImplementedError


class _InputsLoader(_TypesLoader):
    _body, _names = _INPUTS_BODY, frozenset({"input_type"})

    @staticmethod
    def _generated(name):
        return name.endswith("Args") or name.endswith("Args" + _TYPED_DICT)

    def _classes(self, module, bodies):
        typed_dict = module.__dict__["TypedDict"]
        return {n: (body, (typed_dict,), None) if n.endswith(_TYPED_DICT) else (body, (), "input_type")
                for n, body in bodies.items()}

    def _make_lazy(self, module):
        module.__class__ = _LazyInputs


class _OutputsLoader(_TypesLoader):
    """A service's `outputs`, lazy (`_build_type`) through a module `__getattr__`, so it stays a plain module.
    Every class is `@pulumi.output_type class X(dict):` and names the others only as `outputs.X` (the module
    reads itself through `from . import outputs`): an attribute read, which builds the class then
    (tests/test_preview_speed.py reads every `outputs` of PULUMI_AWS_VERSION for both)."""

    _body, _names = _OUTPUTS_BODY, frozenset({"output_type", "dict"})

    def _classes(self, module, bodies):
        return {n: (body, (dict,), "output_type") for n, body in bodies.items()}

    def _make_lazy(self, module):
        module.__dict__["__getattr__"] = functools.partial(_build_type, module)
        module.__dict__["__dir__"] = functools.partial(_lazy_dir, module, module.__dict__["_lazy_bodies"])


class _EnumsLoader(_TypesLoader):
    """A service's `_enums`, lazy: each class is `@pulumi.type_token("...") class X(_builtins.str, Enum):`
    (`_ENUM_CLASS`, checked on the module's whole text), built as the class statement builds it and then
    decorated with its token."""

    _body, _names = _ENUMS_BODY, frozenset({"type_token", "str"})

    def plan(self, name):
        planned = super().plan(name)
        if planned is None:
            return None
        with open(self._path, encoding="utf-8") as handle:
            text = handle.read()
        self._tokens = {cls: token for token, cls in _ENUM_CLASS.findall(text)}
        # Every class and every decorator is one of those pairs.
        if sorted(self._tokens) != sorted(planned[1]) or \
                len(re.findall(r"^(?:class |@)", text, re.M)) != 2 * len(self._tokens):
            return None
        return planned

    def _classes(self, module, bodies):
        bases = (module.__dict__["_builtins"].str, module.__dict__["Enum"])
        return {n: (body, bases, ("type_token", self._tokens[n])) for n, body in bodies.items()}

    def _make_lazy(self, module):
        module.__class__ = _LazyEnums


class _ServiceModuleLoader(importlib.abc.Loader):
    """A module of a lazy service package that star-imports its `_inputs` or `_enums`: that import binds only
    the input types or enums the module names (as globals, or in annotations, which get_type_hints resolves
    in the module's namespace), building them; any other is read through the module's `__getattr__`."""

    def __init__(self, shipped: importlib.abc.SourceLoader):
        self._shipped = shipped

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        code = self._shipped.get_code(module.__name__)
        package = module.__name__.rpartition(".")[0]
        lazy = [m for m in (importlib.import_module(f"{package}.{short}")
                            for short in ("_inputs", "_enums") if short in code.co_names)
                if isinstance(m, _StarScoped)]
        if not lazy:
            exec(code, module.__dict__)
            return
        wanted = {m: sorted(_classes_named(code, m.__dict__["_lazy_bodies"])) for m in lazy}
        for star, names in wanted.items():
            for name in names:
                getattr(star, name)
        with _star_scope(wanted):
            exec(code, module.__dict__)

        def __getattr__(name: str):
            for star in lazy:
                if name in star.__dict__["_lazy_bodies"]:
                    return getattr(star, name)
            raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")

        module.__dict__.setdefault("__getattr__", __getattr__)
        module.__dict__.setdefault("__dir__", functools.partial(
            _lazy_dir, module, [n for star in lazy for n in star.__dict__["_lazy_bodies"]]))


def _in_lazy_package(package: str) -> bool:
    """Whether a package is a lazy service package, or will be when pulumi_aws's own lazy import loads it."""
    module = sys.modules.get(package)
    if isinstance(module, _LazyServicePackage):
        return True
    # Read past pulumi's lazy module, whose attribute reads would load the package here.
    spec = types.ModuleType.__getattribute__(module, "__spec__") if isinstance(module, types.ModuleType) else None
    return isinstance(getattr(spec, "loader", None), _ServicePackageLoader)


class _ServicePackageFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        package, _, short = fullname.rpartition(".")
        if _in_lazy_package(package):
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
            if spec is None or not spec.origin or not spec.origin.endswith(".py") or \
                    not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
                return spec
            loaders = {"_inputs": _InputsLoader, "outputs": _OutputsLoader, "_enums": _EnumsLoader}
            spec.loader = loaders[short](spec.loader, spec.origin) if short in loaders else \
                _ServiceModuleLoader(spec.loader)
            return spec
        if not _SERVICE_PACKAGE.fullmatch(fullname):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not spec.submodule_search_locations or not spec.origin or \
                not spec.origin.endswith("__init__.py"):
            return spec
        spec.loader = _ServicePackageLoader(spec.loader, spec.origin)
        return spec


_finder = _ServicePackageFinder()


def _take_out_finder(_: None) -> None:
    if _finder in sys.meta_path:  # whoever else took it out, the block's own exception is the one to see
        sys.meta_path.remove(_finder)


_installed = pins.SharedInstall(lambda: sys.meta_path.insert(0, _finder), _take_out_finder)


@contextlib.contextmanager
def lazy_service_packages(enabled: bool = True) -> Iterator[bool]:
    """Within the block (and until the last such block open in the process ends), a pulumi_aws service package
    found for the first time loads its modules lazily (a package found before, in this process, stays as it
    was). Yields whether the finder is in place."""
    if not enabled or not pins.aws_shims_apply():
        yield False
        return
    with _installed.hold():
        yield True
