use kaleyra::Template;

// `cart_offer`: "Use code {{1}} for {{2}} off!"
#[derive(Template)]
#[template(name = "cart_offer", kind = product, lang = "en_US", catalog_id = "194")]
struct CartOffer {
    #[template(product_retailer_id)]
    product: String,
    #[template(body)]
    code: String,
}

fn main() {}
