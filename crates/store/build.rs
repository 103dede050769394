// `sqlx::migrate!` embeds the files of `migrations/` at compile time, but cargo does not know
// the crate depends on them: without this line, adding a migration would not rebuild the crate
// and the binary would silently ship without it.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
