fn main() {
    let _code = kaleyra::otp!("0123456789abcdefg");
}
