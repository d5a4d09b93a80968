//! `regiohub`: the command line of the web service.
fn main() {}
