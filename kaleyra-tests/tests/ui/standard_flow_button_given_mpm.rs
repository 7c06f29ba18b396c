use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "survey_offer", lang = "en_US")]
struct SurveyOffer {
    #[template(button(flow, index = 0))]
    survey: Mpm,
}

fn main() {}
