use kaleyra::Template;

#[derive(Template)]
#[template(name = "abandoned_cart_offer", kind = product, lang = "en_US", catalog_id = "1940000000003835")]
struct CartOffer {
    #[template(product_retailer_id)]
    product: String,
    code: String,
}

fn main() {}
