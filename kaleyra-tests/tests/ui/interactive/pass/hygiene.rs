//! The derives' code names everything by absolute path and lints clean, next to local items
//! that shadow the names it uses.
#![deny(warnings, missing_docs, unsafe_code)]
#![allow(clippy::all)]

use kaleyra::callback::{ButtonReply, ListReply};
use kaleyra::prelude::*;

#[allow(dead_code)]
struct Cow;
#[allow(dead_code)]
struct Vec;
#[allow(dead_code)]
struct String;
#[allow(dead_code)]
type Result = ();
#[allow(dead_code)]
type Option = ();
#[allow(dead_code)]
struct List;
#[allow(dead_code)]
struct ReplyButton;
#[allow(dead_code)]
const BUTTONS: () = ();
#[allow(dead_code)]
const SECTIONS: () = ();
#[allow(dead_code)]
const ROWS_0: () = ();

/// A public enum: its `ask` is documented.
#[derive(Buttons, Debug, PartialEq)]
pub enum Delivery {
    /// Tomorrow.
    #[button(title = "Tomorrow")]
    Tomorrow,
    /// Raw identifiers are named without `r#`.
    #[button(title = "Cancel")]
    r#Cancel,
}

/// A private enum whose `ask` is never called: no dead-code warning.
#[derive(Menu)]
#[menu(button = "Pick a slot")]
enum Slot {
    #[menu(section = "Morning", title = "09:00-12:00")]
    Morning,
    #[menu(section = "Afternoon", title = "12:00-15:00", description = "We call first")]
    Afternoon,
    #[menu(section = "Morning", id = "early", title = "08:00-09:00")]
    Early,
}

fn read(tap: &ButtonReply<'_>, choice: &ListReply<'_>) -> core::result::Result<bool, Error> {
    let slot: Slot = choice.parse()?;
    Ok(tap.parse::<Delivery>()? == Delivery::Cancel && matches!(slot, Slot::Early | Slot::Morning | Slot::Afternoon))
}

fn main() {
    let ask = Delivery::ask("When?").unwrap().to("+919876543210").unwrap();
    let json = ask.to_json();
    assert_eq!(json["messaging_object"]["interactive"]["action"]["buttons"][1]["reply"]["id"], "Cancel");
    assert_eq!(Delivery::from_id("Cancel"), Some(Delivery::Cancel));
    assert_eq!(Delivery::Tomorrow.id(), "Tomorrow");
    assert_eq!(<Slot as kaleyra::session::Choice>::IDS, ["Morning", "Afternoon", "early"]);
    let _ = read;
}
