fn main() {
    std::process::exit(vsh::cli::main());
}
