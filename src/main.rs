// A long script makes a million small allocations: mimalloc makes and frees them faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(vsh::cli::main());
}
