use kaleyra::Template;

// `photo_offer`'s header is an image, not a product.
#[derive(Template)]
#[template(name = "photo_offer", kind = product, lang = "en_US", catalog_id = "194")]
struct PhotoOffer {
    #[template(product_retailer_id)]
    product: String,
    #[template(body)]
    deal: String,
}

fn main() {}
