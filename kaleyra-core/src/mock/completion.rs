//! A customer completing a flow (issue 16): the `nfm_reply` callback's `response_json` built
//! from the `complete` action of a terminal screen of the flow's uploaded Flow JSON, as WhatsApp
//! builds it: each payload member's binding resolved (`${form.x}` to the customer's answer,
//! `${data.x}` to the screen's data, a literal as written), plus the `flow_token` the message
//! carried. Posted with [`MockServer::incoming`] like every customer message.

use serde_json::{Map, Value};

use super::{Incoming, MockServer};
use crate::error::{ConfigError, Error};
use crate::flows::{Component, DataSource, FlowJson, Screen};

fn refused(why: String) -> Error {
    ConfigError::new("flow completion", why).into()
}

/// The answer the simulated customer gives an input the test gave no value for: a choice's
/// first option, `true` for an OptIn, a date for a date picker, a text otherwise.
fn default_answer(component: &Component) -> Value {
    let first = |source: &DataSource| match source {
        DataSource::Options(options) => options
            .first()
            .map_or_else(|| Value::from("option"), |o| Value::from(o.id.clone())),
        DataSource::Binding(_) => Value::from("option"),
    };
    match component {
        Component::RadioButtonsGroup(c) | Component::Dropdown(c) => first(&c.data_source),
        Component::CheckboxGroup(c) | Component::ChipsSelector(c) => {
            Value::Array(vec![first(&c.data_source)])
        }
        Component::OptIn(_) => Value::Bool(true),
        Component::DatePicker(_) | Component::CalendarPicker(_) => Value::from("2026-12-01"),
        Component::PhotoPicker(_) | Component::DocumentPicker(_) => Value::Array(Vec::new()),
        _ => Value::from("example"),
    }
}

/// The value WhatsApp sends for one payload member.
fn resolve(flow: &FlowJson, screen: &Screen, value: &Value) -> Value {
    let Some(inner) = value
        .as_str()
        .and_then(|s| s.strip_prefix("${"))
        .and_then(|s| s.strip_suffix('}'))
    else {
        return value.clone();
    };
    let (screen, inner) = match inner
        .strip_prefix("screen.")
        .and_then(|rest| rest.split_once('.'))
    {
        Some((id, rest)) => match flow.screen(id) {
            Some(s) => (s, rest),
            None => return Value::Null,
        },
        None => (screen, inner),
    };
    if let Some(name) = inner.strip_prefix("form.") {
        screen.input(name).map_or(Value::Null, default_answer)
    } else if let Some(name) = inner.strip_prefix("data.") {
        screen
            .data
            .as_ref()
            .and_then(|d| d.get(name))
            .and_then(|schema| schema.get("__example__"))
            .cloned()
            .unwrap_or(Value::Null)
    } else {
        Value::Null
    }
}

/// The first `complete` payload of `screen` (nested in a Form, If or Switch too).
fn complete_payload(screen: &Screen) -> Option<&Map<String, Value>> {
    let mut found = None;
    crate::flows::model::each_action(&screen.layout.children, &mut |a| {
        if found.is_none() && a.name == "complete" {
            found = Some(a.payload.as_ref());
        }
    });
    found.flatten()
}

/// `response_json` for `flow`'s completion on `screen` (the first terminal screen with a
/// `complete` when `None`), with `answers` (by payload member name) replacing the resolved
/// values.
pub(super) fn response_json(
    flow: &FlowJson,
    screen: Option<&str>,
    flow_token: &str,
    answers: &Map<String, Value>,
) -> Result<Value, Error> {
    let screen = match screen {
        Some(id) => flow
            .screen(id)
            .ok_or_else(|| refused(format!("the flow has no screen {id:?}")))?,
        None => flow
            .screens
            .iter()
            .find(|s| s.is_terminal() && complete_payload(s).is_some())
            .ok_or_else(|| {
                refused("the flow has no terminal screen with a complete action".into())
            })?,
    };
    let payload = complete_payload(screen).ok_or_else(|| {
        refused(format!(
            "screen {:?} has no complete action: only a terminal screen completes a flow",
            screen.id
        ))
    })?;
    if let Some(unknown) = answers.keys().find(|k| !payload.contains_key(*k)) {
        return Err(refused(format!(
            "screen {:?}'s complete payload sends no {unknown:?} (it sends {:?})",
            screen.id,
            payload.keys().collect::<Vec<_>>()
        )));
    }
    let mut out = Map::new();
    for (name, value) in payload {
        let v = match answers.get(name) {
            Some(given) => given.clone(),
            None => resolve(flow, screen, value),
        };
        out.insert(name.clone(), v);
    }
    // WhatsApp adds the token the flow message carried.
    out.insert("flow_token".into(), flow_token.into());
    Ok(Value::Object(out))
}

impl MockServer {
    /// The customer `from` completing flow `flow_id` (its uploaded Flow JSON): an [`Incoming`]
    /// `nfm_reply` whose `response_json` is the `complete` payload of `screen` (or of the first
    /// terminal screen that completes), each `${form.…}` answered with `answers[member]` when
    /// given, else a plausible answer (a choice's first option, `true`, a date, `"example"`),
    /// each `${data.…}` with the screen's `__example__`, and `flow_token` added. Post it with
    /// [`MockServer::incoming`].
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the simulator holds no readable Flow JSON for the flow, the screen
    /// does not complete, or `answers` names a member the payload does not send.
    pub fn flow_completion(
        &self,
        from: &str,
        flow_id: &str,
        screen: Option<&str>,
        flow_token: &str,
        answers: &Map<String, Value>,
    ) -> Result<Incoming, Error> {
        let bytes = self
            .flow_json(flow_id)
            .ok_or_else(|| refused(format!("no Flow JSON was uploaded for flow {flow_id:?}")))?;
        let flow = FlowJson::from_slice(&bytes)
            .map_err(|e| refused(format!("flow {flow_id:?}'s Flow JSON cannot be read: {e}")))?;
        let json = response_json(&flow, screen, flow_token, answers)?;
        Ok(Incoming::flow_completion_json(from, json))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BOOKING: &str = r#"{
      "version": "7.1",
      "screens": [
        {"id": "PICK", "title": "Pick",
         "data": {"city": {"type": "string", "__example__": "Pune"}},
         "layout": {"type": "SingleColumnLayout", "children": [
           {"type": "Dropdown", "name": "slot", "label": "Slot", "data-source": [
             {"id": "am", "title": "Morning"}, {"id": "pm", "title": "Evening"}]},
           {"type": "Footer", "label": "Next", "on-click-action": {"name": "navigate",
            "next": {"type": "screen", "name": "DONE"}, "payload": {}}}]}},
        {"id": "DONE", "title": "Done", "terminal": true,
         "data": {"city": {"type": "string", "__example__": "Pune"}},
         "layout": {"type": "SingleColumnLayout", "children": [
           {"type": "OptIn", "name": "terms", "label": "I agree"},
           {"type": "Footer", "label": "Book", "on-click-action": {"name": "complete",
            "payload": {"slot": "${screen.PICK.form.slot}", "agreed": "${form.terms}",
                        "city": "${data.city}", "source": "whatsapp", "n": 2}}}]}}
      ]
    }"#;

    #[test]
    fn the_complete_payload_is_resolved() {
        let flow = FlowJson::from_slice(BOOKING.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let json = response_json(&flow, None, "t-1", &Map::new()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            json,
            json!({"slot": "am", "agreed": true, "city": "Pune", "source": "whatsapp", "n": 2,
                   "flow_token": "t-1"})
        );
        let answers = json!({"slot": "pm", "city": "Mumbai"});
        let answers = answers.as_object().cloned().unwrap_or_default();
        let json =
            response_json(&flow, Some("DONE"), "t-2", &answers).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (&json["slot"], &json["city"]),
            (&json!("pm"), &json!("Mumbai"))
        );
    }

    #[test]
    fn a_completion_that_the_flow_cannot_send_is_refused() {
        let flow = FlowJson::from_slice(BOOKING.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        // PICK navigates: it does not complete.
        assert!(response_json(&flow, Some("PICK"), "t", &Map::new()).is_err());
        assert!(response_json(&flow, Some("NOPE"), "t", &Map::new()).is_err());
        let answers = json!({"date": "2026-12-01"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        let e = response_json(&flow, None, "t", &answers)
            .err()
            .map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("\"date\"")));
    }
}
