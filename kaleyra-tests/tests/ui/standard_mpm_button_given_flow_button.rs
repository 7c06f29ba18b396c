use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "catalog_offer", lang = "en_US")]
struct CatalogOffer {
    #[template(button(mpm, index = 0))]
    products: FlowButton,
}

fn main() {}
