//! Compile-time checks, the trybuild way: `tests/ui/<mistake>.rs` must fail to compile with the
//! accepted `tests/ui/<mistake>.stderr`; `tests/ui/pass/*.rs` must compile and run.
//! Regenerate with `TRYBUILD=overwrite cargo test --test ui` and read every changed `.stderr`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
