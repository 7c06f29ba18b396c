//! `Client::templates()`: the account's templates from Kaleyra's
//! `GET /v2/{sid}/whatsapp/{waba_id}/message_templates` (facts §1.1).

use std::collections::HashSet;

use serde_json::Value;

use super::TemplateDefinition;
use crate::client::Client;
use crate::error::{ConfigError, DecodeError, Error};

/// Pages followed at most: a server that keeps answering with new cursors is refused rather
/// than followed forever (100,000 templates at Meta's default page size of 100… and more).
const MAX_PAGES: usize = 1000;

/// One answer: its templates, and the cursor of the next page if there is one.
struct Page {
    templates: Vec<TemplateDefinition>,
    next: Option<String>,
}

impl Client {
    /// Every template of the account's WhatsApp Business Account, as Kaleyra returns them
    /// (any status: check [`TemplateDefinition::status`]). Needs the WABA id
    /// ([`ClientBuilder::waba_id`](crate::ClientBuilder::waba_id) or `KALEYRA_WABA_ID`).
    ///
    /// Kaleyra answers `{"code": "WA200", "message": …, "data": [template, …], "error": {}}`.
    /// Its documents show no paging; when an answer carries Meta's
    /// `"paging": {"cursors": {"after": …}, "next": …}`, the next page is requested with
    /// `?after={cursor}` on the same URL (never the `next` URL itself, which could point to
    /// another host with the API key) until an answer has no `next`.
    ///
    /// Component and button types the library does not model are kept
    /// ([`Component::Other`](super::Component::Other)), not errors; an entry without a string
    /// `name`, `language` or `status` is a [`Error::Decode`].
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), kaleyra::Error> {
    /// let client = kaleyra::Client::from_env()?;
    /// for t in client.templates().await? {
    ///     println!("{} ({}) {}", t.name(), t.language(), t.status());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn templates(&self) -> Result<Vec<TemplateDefinition>, Error> {
        let waba = self.waba_id().ok_or_else(|| {
            ConfigError::new(
                "WABA id",
                "is not set: templates belong to a WhatsApp Business Account \
                 (ClientBuilder::waba_id or KALEYRA_WABA_ID)",
            )
        })?;
        let url = format!(
            "{}/v2/{}/whatsapp/{}/message_templates",
            self.base_url(),
            self.sid(),
            waba.as_str()
        );
        let mut templates = Vec::new();
        let mut cursors = HashSet::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let page_url = match &after {
                Some(cursor) => with_cursor(&url, cursor)?,
                None => url.clone(),
            };
            tracing::debug!(url = %page_url, "listing templates");
            let body = self.get(&page_url).await?;
            let page = page(&body)?;
            templates.extend(page.templates);
            match page.next {
                // A cursor seen before would loop: the listing is complete as far as it goes.
                Some(cursor) if cursors.insert(cursor.clone()) => after = Some(cursor),
                _ => return Ok(templates),
            }
        }
        Err(DecodeError::new(
            None,
            format!("the template listing did not end after {MAX_PAGES} pages"),
            String::new(),
        )
        .into())
    }
}

fn with_cursor(url: &str, cursor: &str) -> Result<String, Error> {
    let mut parsed = reqwest::Url::parse(url)
        .map_err(|e| ConfigError::new("base URL", format!("`{url}`: {e}")))?;
    parsed.query_pairs_mut().append_pair("after", cursor);
    Ok(parsed.into())
}

fn decode(reason: String, body: &[u8]) -> Error {
    DecodeError::new(
        Some(200),
        reason,
        String::from_utf8_lossy(body).into_owned(),
    )
    .into()
}

/// Reads one 2xx answer.
fn page(body: &[u8]) -> Result<Page, Error> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| decode(format!("the template listing is not JSON: {e}"), body))?;
    let Some(Value::Array(data)) = value.get("data") else {
        return Err(decode(
            "the template listing has no `data` array".to_owned(),
            body,
        ));
    };
    let templates = data
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            TemplateDefinition::from_json(entry.clone())
                .map_err(|e| decode(format!("template {i} of the listing: {e}"), body))
        })
        .collect::<Result<_, _>>()?;
    Ok(Page {
        templates,
        next: next_cursor(&value),
    })
}

/// The cursor of a listing's next page: Meta's `paging.cursors.after`, followed only while
/// `paging.next` is there (the template and flow listings).
pub(crate) fn next_cursor(value: &Value) -> Option<String> {
    let paging = value.get("paging");
    let has_next = paging
        .and_then(|p| p.get("next"))
        .and_then(Value::as_str)
        .is_some_and(|next| !next.is_empty());
    paging
        .and_then(|p| p.pointer("/cursors/after"))
        .and_then(Value::as_str)
        .filter(|cursor| has_next && !cursor.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_read_with_their_cursor() {
        let one = br#"{"code":"WA200","message":"Request Processed Successfully",
            "data":[{"name":"a","language":"en","status":"APPROVED","components":[]}],
            "paging":{"cursors":{"before":"b","after":"c2"},"next":"https://elsewhere.example/x"},
            "error":{}}"#;
        let page = page(one).unwrap();
        assert_eq!(page.templates.len(), 1);
        assert_eq!(page.next.as_deref(), Some("c2"));
        // No `next`: the last page, whatever the cursors say.
        let last = br#"{"data":[],"paging":{"cursors":{"after":"c3"}}}"#;
        assert_eq!(super::page(last).unwrap().next, None);
        assert!(matches!(super::page(b"{}"), Err(Error::Decode(_))));
        assert!(matches!(
            super::page(br#"{"data":[{"name":1}]}"#),
            Err(Error::Decode(_))
        ));
        assert_eq!(
            with_cursor(
                "http://127.0.0.1:1/v2/s/whatsapp/1/message_templates",
                "a b&c"
            )
            .unwrap(),
            "http://127.0.0.1:1/v2/s/whatsapp/1/message_templates?after=a+b%26c"
        );
    }
}
