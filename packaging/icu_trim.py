"""Linux: rebuild the wheel's ICU data library with only the parts Qt can read in this app.

PySide6's Linux wheels carry ICU 73 for QtCore, and its data library (libicudata.so.73) is
31 MB: every locale's number, currency, unit, language, region and time-zone names, the
transliterators, the spell-out rules, the word-break dictionaries and the legacy-charset
converters. Qt reads none of those here: it formats numbers, dates and names from its own
CLDR tables (and the app from babel's), breaks text with its own Unicode tables, reads time
zones from the system's tz files, and the app decodes only UTF-8. What Qt does ask ICU for
stays: collation (QCollator, which sorts the file dialog's names in the dealer's language)
with every locale's rules, and the core tables (normalization, IDNA, character properties,
the locale metadata ICU needs to find a locale's collation).

ICU's own `icupkg` (Debian/Ubuntu package icu-devtools) removes the items from the data
package; binutils' `as` and `ld` (which PyInstaller needs on Linux anyway) link the smaller
package into a library with the same name and data symbol, so QtCore loads it unchanged.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Folders of the data package Qt never opens in this app (see the docstring for why).
DROPPED_TREES = ("brkitr", "curr", "lang", "region", "unit", "zone", "translit", "rbnf")
# A locale's general data at the top level ("de_CH.res"): number and date patterns that only
# ICU's own formatters read. root, pool and res_index stay, so the tree still opens.
LOCALE_BUNDLE = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]+)*\.res")
KEPT_AT_TOP = {"root.res", "pool.res", "res_index.res"}


def dropped(item: str) -> bool:
    """`item` as icupkg lists it: "coll/de.res", "ibm-943_P15A-2003.cnv", "de.res"."""
    folder, _, name = item.rpartition("/")
    if folder:
        return folder in DROPPED_TREES
    if name.endswith(".cnv"):  # legacy charsets: QStringConverter decodes only UTF-8 here
        return True
    return bool(LOCALE_BUNDLE.fullmatch(name)) and name not in KEPT_AT_TOP


def _run(*command: str, cwd: Path) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(f"icu_trim: {' '.join(command)} failed:\n{done.stderr}")
    return done.stdout


def _data_symbol(library: Path, work: Path) -> tuple[str, bytes]:
    """The library's data symbol (icudtNN_dat) and the package bytes it points at."""
    symbols = _run("nm", "-D", "-S", "--defined-only", str(library), cwd=work)
    found = re.search(r"^([0-9a-f]+) ([0-9a-f]+) \w (icudt\d+_dat)$", symbols, re.M)
    if found is None:
        raise SystemExit(f"icu_trim: no icudtNN_dat symbol in {library}")
    address, size, name = int(found[1], 16), int(found[2], 16), found[3]
    sections = _run("readelf", "-S", "-W", str(library), cwd=work)
    for line in sections.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[1] == ".rodata":
            start, offset = int(fields[3], 16), int(fields[4], 16)
            data = library.read_bytes()[offset + address - start :][:size]
            return name, data
    raise SystemExit(f"icu_trim: no .rodata section in {library}")


def trim_icu_library(library: Path, output: Path) -> tuple[int, int]:
    """Writes the trimmed copy of `library` to `output`; returns (bytes before, after)."""
    for tool in ("icupkg", "nm", "readelf", "as", "ld"):
        if shutil.which(tool) is None:
            hint = " (apt-get install icu-devtools)" if tool == "icupkg" else " (binutils)"
            raise SystemExit(f"icu_trim: `{tool}` is needed to build the Linux bundle{hint}")
    library, output = library.resolve(), output.resolve()
    with tempfile.TemporaryDirectory(prefix="icu-trim-") as scratch:
        work = Path(scratch)
        symbol, package = _data_symbol(library, work)
        # icupkg wants the file named as its items are: icudt73l.dat holds "icudt73l/..."
        package_name = symbol.removesuffix("_dat") + ("l" if sys.byteorder == "little" else "b")
        full = f"{package_name}.dat"
        trimmed = f"trimmed/{package_name}.dat"
        (work / full).write_bytes(package)
        (work / "trimmed").mkdir()
        items = _run("icupkg", "-l", full, cwd=work).split()
        (work / "dropped.txt").write_text("\n".join(i for i in items if dropped(i)) + "\n")
        _run("icupkg", "-r", "dropped.txt", full, trimmed, cwd=work)
        (work / "data.s").write_text(
            f".section .rodata\n.global {symbol}\n.type {symbol}, @object\n.balign 16\n"
            f'{symbol}:\n.incbin "{trimmed}"\n.size {symbol}, . - {symbol}\n'
            '.section .note.GNU-stack,"",@progbits\n'
        )
        _run("as", "-o", "data.o", "data.s", cwd=work)
        soname = library.name
        _run("ld", "-shared", "-soname", soname, "-o", soname, "data.o", cwd=work)
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(work / soname, output)
    return library.stat().st_size, output.stat().st_size


if __name__ == "__main__":  # by hand: python packaging/icu_trim.py libicudata.so.73 out.so
    before, after = trim_icu_library(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{before / 2**20:.1f} MB -> {after / 2**20:.1f} MB")
