//! `kaleyra templates list`: one line per template, in aligned columns.

use kaleyra_core::catalogue::{Parameters, TemplateDefinition};

const HEADINGS: [&str; 7] = [
    "NAME", "LANGUAGE", "CATEGORY", "STATUS", "HEADER", "BODY", "BUTTONS",
];

fn row(t: &TemplateDefinition) -> [String; 7] {
    let header = t
        .header()
        .map_or_else(|| "-".to_owned(), |h| h.format.to_string());
    let body = match t.body_parameters() {
        Parameters::Positional(0) => "-".to_owned(),
        Parameters::Positional(1) => "1 parameter".to_owned(),
        Parameters::Positional(n) => format!("{n} parameters"),
        Parameters::Named(names) => names
            .iter()
            .map(|n| format!("{{{{{n}}}}}"))
            .collect::<Vec<_>>()
            .join(" "),
    };
    let mut buttons: Vec<String> = t.buttons().iter().map(|b| b.kind.to_string()).collect();
    if let Some(cards) = t.carousel() {
        buttons.push(format!("CAROUSEL of {}", cards.len()));
    }
    [
        t.name().to_owned(),
        t.language().to_owned(),
        t.category().to_string(),
        t.status().to_string(),
        header,
        body,
        if buttons.is_empty() {
            "-".to_owned()
        } else {
            buttons.join(", ")
        },
    ]
}

/// The table, headings first, with a final newline.
pub fn render(templates: &[TemplateDefinition]) -> String {
    let mut rows: Vec<[String; 7]> = vec![HEADINGS.map(str::to_owned)];
    let mut sorted: Vec<&TemplateDefinition> = templates.iter().collect();
    sorted.sort_by(|a, b| (a.name(), a.language()).cmp(&(b.name(), b.language())));
    rows.extend(sorted.into_iter().map(row));
    let mut widths = [0usize; 7];
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for r in &rows {
        let mut line = String::new();
        for (i, (cell, w)) in r.iter().zip(widths).enumerate() {
            line.push_str(cell);
            if i + 1 < r.len() {
                line.extend(std::iter::repeat_n(' ', w - cell.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if templates.is_empty() {
        out.push_str("(no templates)\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up() {
        let t = |json: &str| match TemplateDefinition::from_json(
            serde_json::from_str(json).unwrap_or_default(),
        ) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        let text = render(&[
            t(
                r#"{"name": "welcome_named", "language": "en_US", "status": "APPROVED", "category": "MARKETING",
                  "components": [{"type": "BODY", "text": "Hi {{first_name}}"},
                                 {"type": "BUTTONS", "buttons": [{"type": "COPY_CODE"}]}]}"#,
            ),
            t(
                r#"{"name": "a", "language": "de", "status": "PAUSED", "category": "UTILITY",
                  "components": [{"type": "HEADER", "format": "IMAGE"}, {"type": "BODY", "text": "{{1}} {{2}}"}]}"#,
            ),
        ]);
        assert_eq!(
            text,
            "NAME           LANGUAGE  CATEGORY   STATUS    HEADER  BODY            BUTTONS\n\
             a              de        UTILITY    PAUSED    IMAGE   2 parameters    -\n\
             welcome_named  en_US     MARKETING  APPROVED  -       {{first_name}}  COPY_CODE\n"
        );
    }
}
