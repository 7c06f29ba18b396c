use kaleyra::prelude::*;

// `invoice_ready`'s header is a DOCUMENT: its parameter is a `Media`, not a `Location`.
#[derive(Template)]
#[template(name = "invoice_ready", lang = "en_US")]
struct InvoiceReady {
    #[template(header)]
    office: Location,
    #[template(body)]
    invoice: String,
}

fn main() {}
