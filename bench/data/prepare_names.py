#!/usr/bin/env python3
"""Helpers for bench/data/prepare-names.sh: turn each real source into `id<TAB>name` lines.

Usage: prepare_names.py SOURCE INPUT...   (writes TSV to stdout)
       prepare_names.py stats FILE...     (prints per-file counts)

Every name is cleaned the same way: decoded as UTF-8, every run of whitespace (tabs, newlines,
non-breaking spaces, ...) collapsed to one space, control characters dropped, trimmed; empty names
are dropped and exact duplicate (id, name) pairs are written once, in first-seen order.
"""

import gettext
import os
import re
import sqlite3
import struct
import sys

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean(name):
    if name is None:
        return ""
    if isinstance(name, bytes):
        name = name.decode("utf-8", errors="replace")
    name = " ".join(str(name).split())
    return _CONTROL.sub("", name).strip()


class Writer:
    def __init__(self):
        self.seen = set()
        self.out = sys.stdout
        self.written = 0

    def emit(self, ident, name):
        name = clean(name)
        if not name:
            return
        key = (ident, name)
        if key in self.seen:
            return
        self.seen.add(key)
        self.out.write(f"{ident}\t{name}\n")
        self.written += 1


def ro_connect(path):
    return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)


def taxa(w, path):
    # R's write.table output: tax_id<TAB>name
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            tax_id, sep, name = line.partition("\t")
            tax_id = tax_id.strip()
            if not sep or not tax_id.isdigit():
                continue
            w.emit(f"taxon:{tax_id}", name)


def go(w, path):
    con = ro_connect(path)
    rows = con.execute(
        "SELECT go_id, term FROM go_term WHERE go_id LIKE 'GO:%' ORDER BY go_id"
    )
    for go_id, term in rows:
        w.emit(go_id, term)
    # like_go_id = 1 rows are secondary GO ids (alt_id), not names.
    rows = con.execute(
        "SELECT t.go_id, s.synonym FROM go_synonym s JOIN go_term t ON s._id = t._id "
        "WHERE t.go_id LIKE 'GO:%' AND (s.like_go_id IS NULL OR s.like_go_id = 0) "
        "ORDER BY t.go_id, s.rowid"
    )
    for go_id, syn in rows:
        w.emit(go_id, syn)


_OBO_SYNONYM = re.compile(r'^synonym:\s*"((?:[^"\\]|\\.)*)"\s*(.*)$')
_OBO_UNESCAPE = re.compile(r"\\(.)")
# Typed synonyms that are structure strings, not names.
_CHEBI_SKIP_TYPES = {"SMILES", "InChI", "InChIKey"}


def _obo_unescape(s):
    return _OBO_UNESCAPE.sub(
        lambda m: {"n": " ", "t": " ", "W": " "}.get(m.group(1), m.group(1)), s
    )


def chebi(w, path):
    def flush(stanza):
        if not stanza or stanza.get("obsolete") or not stanza.get("id"):
            return
        for name in stanza["names"]:
            w.emit(stanza["id"], name)

    stanza = None
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if line.startswith("["):
                flush(stanza)
                stanza = {"names": []} if line.strip() == "[Term]" else None
                continue
            if stanza is None:
                continue
            if line.startswith("id:"):
                stanza["id"] = line[3:].strip()
            elif line.startswith("name:"):
                stanza["names"].insert(0, _obo_unescape(line[5:].strip()))
            elif line.startswith("is_obsolete:") and "true" in line:
                stanza["obsolete"] = True
            elif line.startswith("synonym:"):
                m = _OBO_SYNONYM.match(line)
                if not m:
                    continue
                rest = m.group(2).split("[", 1)[0].split()
                if any(t in _CHEBI_SKIP_TYPES for t in rest[1:]):
                    continue
                stanza["names"].append(_obo_unescape(m.group(1)))
        flush(stanza)


def genes(w, path):
    con = ro_connect(path)
    order = {}
    rows = con.execute(
        "SELECT g._id, g.gene_id, i.symbol, i.gene_name FROM genes g "
        "JOIN gene_info i ON i._id = g._id ORDER BY CAST(g.gene_id AS INTEGER)"
    )
    for _id, gene_id, symbol, gene_name in rows:
        order[_id] = gene_id
        w.emit(f"gene:{gene_id}", symbol)
        w.emit(f"gene:{gene_id}", gene_name)
    aliases = {}
    for _id, alias in con.execute("SELECT _id, alias_symbol FROM alias ORDER BY rowid"):
        aliases.setdefault(_id, []).append(alias)
    for _id, gene_id in order.items():
        for alias in aliases.get(_id, ()):
            w.emit(f"gene:{gene_id}", alias)


def _read_mo_manual(path):
    """Minimal GNU .mo reader (used if gettext refuses a catalogue)."""
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic == 0x950412DE else ">"
    _, n, orig, trans = struct.unpack(end + "4I", data[4:20])
    out = {}
    for i in range(n):
        ol, oo = struct.unpack(end + "2I", data[orig + 8 * i : orig + 8 * i + 8])
        tl, to = struct.unpack(end + "2I", data[trans + 8 * i : trans + 8 * i + 8])
        msgid = data[oo : oo + ol].decode("utf-8", errors="replace")
        msgstr = data[to : to + tl].decode("utf-8", errors="replace")
        out[msgid] = msgstr
    return out


def geonames(w, *paths):
    # msgid = GeoNames id, msgstr = the city's name in that locale.
    pairs = {}
    for path in sorted(paths):
        try:
            with open(path, "rb") as f:
                catalog = dict(gettext.GNUTranslations(f)._catalog)
        except Exception as e:  # noqa: BLE001
            print(f"warning: gettext could not read {path} ({e}); parsing by hand", file=sys.stderr)
            catalog = _read_mo_manual(path)
        for msgid, msgstr in catalog.items():
            if not isinstance(msgid, str):  # plural entries are keyed by tuples
                continue
            ident = msgid.strip()
            if not ident.isdigit():
                continue
            pairs.setdefault(int(ident), []).append(msgstr)
    for ident in sorted(pairs):
        for name in pairs[ident]:
            w.emit(f"geo:{ident}", name)


def words(w, path):
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            w.emit(f"word:{n}", raw)


def stats(*paths):
    total = total_multi = 0
    print(f"{'file':<24} {'names':>10} {'multi-word':>11} {'ids':>10} {'MB':>8}")
    for path in paths:
        n = multi = 0
        ids = set()
        with open(path, "rb") as f:
            for raw in f:
                ident, _, name = raw.rstrip(b"\n").partition(b"\t")
                n += 1
                ids.add(ident)
                if b" " in name:
                    multi += 1
        size = os.path.getsize(path) / 1e6
        print(f"{os.path.basename(path):<24} {n:>10,} {multi:>11,} {len(ids):>10,} {size:>8.1f}")
        if os.path.basename(path) != "names-all.tsv":
            total += n
            total_multi += multi
    print(f"{'sum of sources':<24} {total:>10,} {total_multi:>11,}")


SOURCES = {
    "taxa": taxa,
    "go": go,
    "chebi": chebi,
    "genes": genes,
    "geonames": geonames,
    "words": words,
}


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "stats":
        stats(*args)
        return 0
    if cmd not in SOURCES:
        print(f"unknown source {cmd!r}", file=sys.stderr)
        return 2
    w = Writer()
    SOURCES[cmd](w, *args)
    sys.stdout.flush()
    if w.written == 0:
        print(f"error: no names extracted for {cmd}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
