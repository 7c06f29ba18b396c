use kaleyra::Template;

#[derive(Template)]
#[template(name = "abandoned_cart_offer", kind = product, lang = "en_US")]
struct CartOffer {
    #[template(product_retailer_id)]
    product: String,
    #[template(catalog_id)]
    catalog: String,
    #[template(body)]
    discount: f64,
}

fn main() {}
