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
# Then the approved-template catalogue's cost:
#   checked/     100 structs with #[derive(kaleyra::Template)] (otp, flow and product templates),
#                timed with KALEYRA_TEMPLATES=off and with KALEYRA_TEMPLATES=catalogue-1000.json,
#                a catalogue of 1,000 templates (the 100 structs' own and 900 others), so that
#                the ratio is the cost of finding, parsing and checking against the catalogue.
#
#   scripts/bench-compile.sh            # RUNS=7
#   RUNS=15 scripts/bench-compile.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/target/bench-compile"
runs="${RUNS:-7}"
export CARGO_TARGET_DIR="$work/target"
export CARGO_TERM_COLOR=never
# The crates live under target/, inside this workspace: without this the derives would be
# checked against the workspace's own kaleyra-templates.json.
export KALEYRA_TEMPLATES=off
# Likewise the workspace's kaleyra-flows/ (the flowchecked crate sets its own).
export KALEYRA_FLOWS=off

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

# ----------------------------------------------------------------- the catalogue's cost
mkdir -p "$work/checked/src"
sed 's/^name = "bench-derived"/name = "bench-checked"/' "$work/derived/Cargo.toml" > "$work/checked/Cargo.toml"
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
langs = ["en_US", "pt_BR", "hi", "es_MX", "de"]
lines = ["#![allow(dead_code)]", "use std::borrow::Cow;", "use kaleyra::{Otp, Template};", ""]
catalogue = []
def entry(name, lang, category, components, status="APPROVED"):
    return {"name": name, "language": lang, "status": status, "category": category,
            "id": str(10**15 + len(catalogue)), "parameter_format": "POSITIONAL",
            "components": components}
for i in range(100):
    kind = ("otp", "flow", "product")[i % 3]
    lang = langs[i % len(langs)]
    if kind == "otp":
        lines += [f'#[derive(Template)]',
                  f'#[template(name = "login_{i}", kind = otp, lang = "{lang}", button_index = {i % 3})]',
                  f"pub struct S{i} {{", "    #[template(otp)]", "    pub code: Otp,", "}", ""]
        buttons = [{"type": "QUICK_REPLY", "text": "Not me"}] * (i % 3)
        buttons = buttons + [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy code"}]
        catalogue.append(entry(f"login_{i}", lang, "AUTHENTICATION", [
            {"type": "BODY", "text": "*{{1}}* is your verification code.", "add_security_recommendation": True},
            {"type": "FOOTER", "text": "This code expires in 10 minutes.", "code_expiration_minutes": 10},
            {"type": "BUTTONS", "buttons": buttons}]))
    elif kind == "flow":
        lines += [f'#[derive(Template)]',
                  f'#[template(name = "survey_{i}", kind = flow, lang = "{lang}")]',
                  f"pub struct S{i} {{", "    #[template(body)]", "    pub name: String,",
                  "    #[template(flow_token)]", "    pub token: String,",
                  "    #[template(flow_action_data)]", "    pub data: serde_json::Value,", "}", ""]
        catalogue.append(entry(f"survey_{i}", lang, "MARKETING", [
            {"type": "BODY", "text": "Hi {{1}}, tell us how we did.", "example": {"body_text": [["Ada"]]}},
            {"type": "BUTTONS", "buttons": [{"type": "FLOW", "text": "Start", "flow_id": "1234567890",
                                             "flow_action": "navigate", "navigate_screen": "WELCOME"}]}]))
    else:
        lines += [f'#[derive(Template)]',
                  f'#[template(name = "offer_{i}", kind = product, lang = "{lang}")]',
                  f"pub struct S{i}<'a> {{", "    #[template(product_retailer_id)]", "    pub product: &'a str,",
                  "    #[template(catalog_id)]", "    pub catalog: &'a str,",
                  "    #[template(body)]", "    pub code: Cow<'a, str>,",
                  "    #[template(body)]", "    pub discount: String,", "}", ""]
        catalogue.append(entry(f"offer_{i}", lang, "MARKETING", [
            {"type": "HEADER", "format": "PRODUCT"},
            {"type": "BODY", "text": "Use code {{1}} to get {{2}} off!", "example": {"body_text": [["25OFF", "25%"]]}},
            {"type": "FOOTER", "text": "Offer valid until the end of the month"},
            {"type": "BUTTONS", "buttons": [{"type": "SPM", "text": "View"}]}]))
# 900 other templates of the account, of the usual shapes.
for j in range(900):
    lang = langs[j % len(langs)]
    shape = j % 3
    if shape == 0:
        components = [
            {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["https://example.com/i.png"]}},
            {"type": "BODY", "text": "Hi {{1}}, your order of {{2}} ships on {{3}}.",
             "example": {"body_text": [["Ada", "$100.99", "February 25, 2026"]]}},
            {"type": "FOOTER", "text": "Reply STOP to stop order updates"},
            {"type": "BUTTONS", "buttons": [
                {"type": "URL", "text": "Track order", "url": "https://example.com/track/{{1}}",
                 "example": ["https://example.com/track/A1042"]},
                {"type": "QUICK_REPLY", "text": "Stop updates"}]}]
        category = "UTILITY"
    elif shape == 1:
        components = [
            {"type": "BODY", "text": "Welcome, {{first_name}}! Here is a coupon for your first order.",
             "example": {"body_text_named_params": [{"param_name": "first_name", "example": "Ada"}]}},
            {"type": "BUTTONS", "buttons": [{"type": "COPY_CODE", "example": "WELCOME10"}]}]
        category = "MARKETING"
    else:
        card = {"components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["https://example.com/c.png"]}},
            {"type": "BODY", "text": "Now {{1}}.", "example": {"body_text": [["$20"]]}},
            {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Buy now"}]}]}
        components = [
            {"type": "BODY", "text": "Summer is here, {{1}}! Swipe for our picks.", "example": {"body_text": [["Ada"]]}},
            {"type": "CAROUSEL", "cards": [card, card, card]}]
        category = "MARKETING"
    catalogue.append(entry(f"template_{j:03}", lang, category, components,
                           status="APPROVED" if j % 10 else "PAUSED"))
catalogue.sort(key=lambda t: (t["name"], t["language"]))
open(f"{work}/checked/src/lib.rs", "w").write("\n".join(lines))
open(f"{work}/catalogue-1000.json", "w").write(json.dumps(catalogue, indent=2) + "\n")
PY

echo "warming the dependency cache of the checked crate..." >&2
KALEYRA_TEMPLATES="$work/catalogue-1000.json" cargo check --quiet --manifest-path "$work/checked/Cargo.toml"

off_times=()
cat_times=()
for _ in $(seq "$runs"); do
    off_times+=("$(KALEYRA_TEMPLATES=off time_check checked)")
    cat_times+=("$(KALEYRA_TEMPLATES="$work/catalogue-1000.json" time_check checked)")
done
f=$(printf '%s\n' "${off_times[@]}" | median)
c=$(printf '%s\n' "${cat_times[@]}" | median)
size=$(wc -c < "$work/catalogue-1000.json")
echo "checked    (100 template derives, KALEYRA_TEMPLATES=off):                ${f}s   [${off_times[*]}]"
echo "checked    (100 template derives, catalogue of 1,000, ${size} bytes):  ${c}s   [${cat_times[*]}]"
python3 -c "print(f'ratio catalogue/off:      {$c / $f:.2f}x  (target <= 1.15x)')"

# ----------------------------------------------------------------- the committed flows' cost
# 100 #[derive(Flow)] with `name = …` (and 20 #[derive(FlowResponse)] with `flow = …`) checked
# against 20 committed flows (flowchecked/kaleyra-flows/), timed with KALEYRA_FLOWS=off (the same
# derives, unchecked: names sent as flow_name) and with KALEYRA_FLOWS=kaleyra-flows (issue 16:
# target <= 1.15x).
mkdir -p "$work/flowchecked/src" "$work/flowchecked/kaleyra-flows"
sed 's/^name = "bench-derived"/name = "bench-flowchecked"/' "$work/derived/Cargo.toml" > "$work/flowchecked/Cargo.toml"
python3 - "$work" "$root" <<'PY'
import json, sys
work, root = sys.argv[1], sys.argv[2]
booking = open(f"{root}/kaleyra-flows/booking.json").read()
index = []
for n in range(20):
    name = f"booking_{n:02}"
    open(f"{work}/flowchecked/kaleyra-flows/{name}.json", "w").write(booking)
    index.append({"id": str(2000000000 + n), "name": name, "status": "PUBLISHED",
                  "categories": ["APPOINTMENT_BOOKING"], "validation_errors": []})
open(f"{work}/flowchecked/kaleyra-flows/flows.json", "w").write(json.dumps(index, indent=2) + "\n")
lines = ["#![allow(dead_code)]", "use kaleyra::{Flow, FlowResponse};", ""]
for i in range(100):
    name = f"booking_{i % 20:02}"
    lines += ["#[derive(Flow)]",
              f'#[flow(name = "{name}", cta = "Book now", screen = "BOOKING", body = "Body {i}")]',
              f"pub struct S{i} {{", "    #[flow(token)]", "    pub token: String,",
              "    pub venue: String,", "    pub guests: u32,", "}", ""]
for i in range(20):
    lines += ["#[derive(FlowResponse)]", f'#[flow_response(flow = "booking_{i:02}")]',
              f"pub struct R{i} {{", "    pub date: String,", "    pub reminders: Option<bool>,", "}", ""]
open(f"{work}/flowchecked/src/lib.rs", "w").write("\n".join(lines))
PY

echo "warming the dependency cache of the flowchecked crate..." >&2
KALEYRA_FLOWS=kaleyra-flows cargo check --quiet --manifest-path "$work/flowchecked/Cargo.toml"

foff_times=()
fon_times=()
for _ in $(seq "$runs"); do
    foff_times+=("$(KALEYRA_FLOWS=off time_check flowchecked)")
    fon_times+=("$(KALEYRA_FLOWS=kaleyra-flows time_check flowchecked)")
done
fo=$(printf '%s\n' "${foff_times[@]}" | median)
fc=$(printf '%s\n' "${fon_times[@]}" | median)
echo "flowchecked (100 flow + 20 response derives, KALEYRA_FLOWS=off):       ${fo}s   [${foff_times[*]}]"
echo "flowchecked (100 flow + 20 response derives, 20 committed flows):      ${fc}s   [${fon_times[*]}]"
python3 -c "print(f'ratio flows/off:          {$fc / $fo:.2f}x  (target <= 1.15x)')"
