//! `ClientBuilder::from_env` (issue 20): the environment `Client::from_env` reads, as a builder
//! whose settings can be overridden before `build`. In its own test binary: it sets the
//! process's environment, which no other test may read meanwhile.

#![cfg(feature = "mock")]

use kaleyra::{Client, ClientBuilder, Error, RateLimit, Region};

const VARIABLES: [&str; 6] = [
    "KALEYRA_SID",
    "KALEYRA_API_KEY",
    "KALEYRA_REGION",
    "KALEYRA_BASE_URL",
    "KALEYRA_SENDER",
    "KALEYRA_WABA_ID",
];

fn set(pairs: &[(&str, &str)]) {
    for name in VARIABLES {
        // SAFETY: this binary's only test; nothing else reads the environment meanwhile.
        unsafe { std::env::remove_var(name) };
    }
    for (name, value) in pairs {
        // SAFETY: as above.
        unsafe { std::env::set_var(name, value) };
    }
}

#[test]
fn from_env_reads_the_environment_into_a_builder_that_can_be_overridden() -> Result<(), Error> {
    set(&[
        ("KALEYRA_SID", "HXAP1"),
        ("KALEYRA_API_KEY", "k"),
        ("KALEYRA_REGION", "eu"),
        ("KALEYRA_SENDER", "+15550001234"),
        ("KALEYRA_WABA_ID", " 1090 "),
    ]);
    let client = ClientBuilder::from_env()?
        .rate_limit(RateLimit::per_second(5))
        .build()?;
    assert_eq!(client.sid(), "HXAP1");
    assert_eq!(client.base_url(), Region::Europe.base_url());
    assert_eq!(client.sender().map(|s| s.as_str()), Some("+15550001234"));
    assert_eq!(client.waba_id().map(|w| w.as_str()), Some("1090"));
    assert_eq!(client.rate_limit(), RateLimit::per_second(5));
    // Client::from_env reads the same, with the default settings.
    let same = Client::from_env()?;
    assert_eq!(
        (same.sid(), same.base_url(), same.rate_limit()),
        ("HXAP1", Region::Europe.base_url(), RateLimit::default())
    );

    // KALEYRA_BASE_URL wins over KALEYRA_REGION; an override wins over both.
    set(&[
        ("KALEYRA_SID", "HXAP1"),
        ("KALEYRA_API_KEY", "k"),
        ("KALEYRA_REGION", "eu"),
        ("KALEYRA_BASE_URL", "http://127.0.0.1:9"),
    ]);
    assert_eq!(
        ClientBuilder::from_env()?.build()?.base_url(),
        "http://127.0.0.1:9"
    );
    let overridden = ClientBuilder::from_env()?.region(Region::India).build()?;
    assert_eq!(overridden.base_url(), Region::India.base_url());

    // An unknown region fails at once; a missing key is left for build to name.
    set(&[("KALEYRA_SID", "HXAP1"), ("KALEYRA_REGION", "mars")]);
    match ClientBuilder::from_env() {
        Err(Error::Config(e)) => assert_eq!(e.setting(), "KALEYRA_REGION"),
        other => panic!("{other:?}"),
    }
    set(&[("KALEYRA_SID", "HXAP1"), ("KALEYRA_API_KEY", "  ")]);
    let builder = ClientBuilder::from_env()?;
    match builder.clone().build() {
        Err(Error::Config(e)) => assert_eq!(e.setting(), "api key"),
        other => panic!("{other:?}"),
    }
    assert_eq!(builder.api_key("k2").build()?.sid(), "HXAP1");
    set(&[]);
    Ok(())
}
