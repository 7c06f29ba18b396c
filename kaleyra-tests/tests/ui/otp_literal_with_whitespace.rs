fn main() {
    let _code = kaleyra::otp!("123 456");
}
