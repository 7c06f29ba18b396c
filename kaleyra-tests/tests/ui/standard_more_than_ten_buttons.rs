use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "many_replies", lang = "en_US")]
struct ManyReplies {
    #[template(button(quick_reply, index = 0))]
    reply_0: String,
    #[template(button(quick_reply, index = 1))]
    reply_1: String,
    #[template(button(quick_reply, index = 2))]
    reply_2: String,
    #[template(button(quick_reply, index = 3))]
    reply_3: String,
    #[template(button(quick_reply, index = 4))]
    reply_4: String,
    #[template(button(quick_reply, index = 5))]
    reply_5: String,
    #[template(button(quick_reply, index = 6))]
    reply_6: String,
    #[template(button(quick_reply, index = 7))]
    reply_7: String,
    #[template(button(quick_reply, index = 8))]
    reply_8: String,
    #[template(button(quick_reply, index = 9))]
    reply_9: String,
    #[template(button(quick_reply, index = 10))]
    reply_10: String,
}

fn main() {}
