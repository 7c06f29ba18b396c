#!/usr/bin/env bash
# Compile-time cost of the derives: generates three crates under target/bench-compile/,
#   derived/     100 structs with #[derive(kaleyra::Template)] / #[derive(kaleyra::Flow)] (25 per kind)
#   serde/       the same crate (same Cargo.toml: kaleyra, serde, serde_json) with the same 100
#                structs, each with a plain #[derive(serde::Serialize)] instead
#   serde-only/  the serde crate without the kaleyra dependency (serde, serde_json only)
# builds their dependencies once (warm cache), then times `cargo check` of each crate alone
# (after touching its one source file), RUNS times interleaved (default 7), and prints the median
# wall time of each and the ratios. derived/serde is the cost of the derives; derived/serde-only
# adds the fixed cost of depending on kaleyra (cargo checking its dependency tree, ~110 crates).
#
#   scripts/bench-compile.sh            # RUNS=7
#   RUNS=15 scripts/bench-compile.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/target/bench-compile"
runs="${RUNS:-7}"
export CARGO_TARGET_DIR="$work/target"
export CARGO_TERM_COLOR=never

mkdir -p "$work/derived/src" "$work/serde/src" "$work/serde-only/src"

cat > "$work/derived/Cargo.toml" <<EOF
[package]
name = "bench-derived"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
kaleyra = { path = "$root" }
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[workspace]
EOF

sed 's/^name = "bench-derived"/name = "bench-serde"/' "$work/derived/Cargo.toml" > "$work/serde/Cargo.toml"

cat > "$work/serde-only/Cargo.toml" <<EOF
[package]
name = "bench-serde-only"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[workspace]
EOF

# The same 100 structs for both crates; only the derive and its attributes differ.
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
derived = ["#![allow(dead_code)]", "use std::borrow::Cow;", "use kaleyra::{Otp, Template, Flow};", ""]
plain = ["#![allow(dead_code)]", "use std::borrow::Cow;", "use serde::Serialize;",
         "pub type Otp = String;", ""]
langs = ["en_US", "pt_BR", "hi", "es_MX", "de"]
for i in range(100):
    kind = ("otp", "flow", "product", "message")[i % 4]
    lang = langs[i % len(langs)]
    if kind == "otp":
        d_attr = f'#[derive(Template)]\n#[template(name = "auth_{i}", kind = otp, lang = "{lang}", button_index = {i % 10})]'
        fields = [("#[template(otp)]", "code", "Otp")]
    elif kind == "flow":
        d_attr = f'#[derive(Template)]\n#[template(name = "survey_{i}", kind = flow, lang = "{lang}")]'
        fields = [("#[template(body)]", "name", "String"),
                  ("#[template(flow_token)]", "token", "String"),
                  ("#[template(flow_action_data)]", "data", "serde_json::Value")]
    elif kind == "product":
        d_attr = f'#[derive(Template)]\n#[template(name = "offer_{i}", kind = product, lang = "{lang}")]'
        fields = [("#[template(product_retailer_id)]", "product", "&'a str"),
                  ("#[template(catalog_id)]", "catalog", "&'a str"),
                  ("#[template(body)]", "code", "Cow<'a, str>"),
                  ("#[template(body)]", "discount", "String")]
    else:
        d_attr = (f'#[derive(Flow)]\n#[flow(id = "{1000000 + i}", cta = "Book now", screen = "WELCOME", '
                  f'header = "Header {i}", body = "Body {i}", footer = "Footer")]')
        fields = [("#[flow(token)]", "token", "String"), ("", "date", "String"), ("", "guests", "u8")]
    life = "<'a>" if any("'a" in t for _, _, t in fields) else ""
    derived.append(d_attr)
    derived.append(f"pub struct S{i}{life} {{")
    plain.append("#[derive(Serialize)]")
    plain.append(f"pub struct S{i}{life} {{")
    for attr, name, ty in fields:
        if attr:
            derived.append(f"    {attr}")
        derived.append(f"    pub {name}: {ty},")
        plain.append(f"    pub {name}: {ty},")
    derived.append("}\n")
    plain.append("}\n")
open(f"{work}/derived/src/lib.rs", "w").write("\n".join(derived))
open(f"{work}/serde/src/lib.rs", "w").write("\n".join(plain))
open(f"{work}/serde-only/src/lib.rs", "w").write("\n".join(plain))
PY

echo "warming the dependency cache (first build of each crate)..." >&2
cargo check --quiet --manifest-path "$work/derived/Cargo.toml"
cargo check --quiet --manifest-path "$work/serde/Cargo.toml"
cargo check --quiet --manifest-path "$work/serde-only/Cargo.toml"

# Wall time of `cargo check` after touching the crate's only source file.
time_check() {
    local crate="$1" start end
    touch "$work/$crate/src/lib.rs"
    start=$(date +%s.%N)
    cargo check --quiet --manifest-path "$work/$crate/Cargo.toml"
    end=$(date +%s.%N)
    python3 -c "print(f'{$end - $start:.3f}')"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

derived_times=()
serde_times=()
only_times=()
for _ in $(seq "$runs"); do
    # Interleaved, so that machine noise hits all alike.
    derived_times+=("$(time_check derived)")
    serde_times+=("$(time_check serde)")
    only_times+=("$(time_check serde-only)")
done

d=$(printf '%s\n' "${derived_times[@]}" | median)
s=$(printf '%s\n' "${serde_times[@]}" | median)
o=$(printf '%s\n' "${only_times[@]}" | median)
echo "runs: $runs (cargo check wall time, warm dependency cache, median)"
echo "derived    (100 kaleyra derives):                    ${d}s   [${derived_times[*]}]"
echo "serde      (100 plain Serialize, same Cargo.toml):   ${s}s   [${serde_times[*]}]"
echo "serde-only (100 plain Serialize, serde deps only):   ${o}s   [${only_times[*]}]"
python3 -c "print(f'ratio derived/serde:      {$d / $s:.2f}x  (the derives themselves)')"
python3 -c "print(f'ratio derived/serde-only: {$d / $o:.2f}x  (derives + depending on kaleyra)')"
