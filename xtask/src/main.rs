//! `cargo xtask build [--release]`: builds what `./scripts/start` serves, with the
//! workspace's own tools.
//!
//! 1. the front end (`frontend`) for `wasm32-unknown-unknown` (release: the size-tuned
//!    `wasm-release` profile);
//! 2. its JavaScript glue with the wasm-bindgen library pinned to the crate in Cargo.lock
//!    (the CLI must match it exactly, so it is linked here instead of installed);
//! 3. in release, `wasm-opt -Oz` from npm's binaryen (`node_modules/.bin`), run in the
//!    background while the server compiles;
//! 4. the stylesheet and `public/` copied into the site;
//! 5. the server (`LEPTOS_OUTPUT_NAME` set, so its pages name `pkg/counterpoint.wasm`).
//!
//! The site lands in `target/site` under the workspace (`LEPTOS_SITE_ROOT`), the binary in
//! the cargo target folder (`CARGO_TARGET_DIR`). File names are those cargo-leptos makes,
//! which stays usable for `cargo leptos watch`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const OUTPUT_NAME: &str = "counterpoint";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let release = args.iter().any(|a| a == "--release");
    let known = |a: &String| a == "--release" || a == "build";
    if args.first().map(String::as_str) != Some("build") || !args.iter().all(known) {
        eprintln!("usage: cargo xtask build [--release]");
        return ExitCode::from(2);
    }
    match build(release) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

struct Paths {
    root: PathBuf,
    target: PathBuf,
    site: PathBuf,
}

impl Paths {
    fn find() -> Result<Paths, String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .ok_or("xtask is not in a workspace")?
            .to_path_buf();
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => root.join(dir),
            None => root.join("target"),
        };
        let site = match std::env::var_os("LEPTOS_SITE_ROOT") {
            Some(dir) => root.join(dir),
            None => root.join("target").join("site"),
        };
        Ok(Paths { root, target, site })
    }
}

fn build(release: bool) -> Result<(), String> {
    let paths = Paths::find()?;
    let pkg = paths.site.join("pkg");
    std::fs::create_dir_all(&pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;

    let wasm_profile = if release { "wasm-release" } else { "dev" };
    step("front end (wasm32)", || {
        cargo(&paths, &["build", "-p", "frontend", "--lib", "--target", "wasm32-unknown-unknown", "--profile", wasm_profile])
    })?;
    let wasm_dir = if release { "wasm-release" } else { "debug" };
    let wasm = paths.target.join("wasm32-unknown-unknown").join(wasm_dir).join("frontend.wasm");
    let site_wasm = pkg.join(format!("{OUTPUT_NAME}.wasm"));
    // The glue and the optimised module are remade only when the front end was rebuilt
    // (wasm-opt alone takes a minute and a half).
    let stamp = pkg.join(".built-from");
    let source = source_of(&wasm);
    let fresh = site_wasm.exists()
        && pkg.join(format!("{OUTPUT_NAME}.js")).exists()
        && std::fs::read_to_string(&stamp).ok() == source;
    if fresh {
        eprintln!("xtask: wasm-bindgen and wasm-opt: the site's module was made from this front end, kept");
    } else {
        let _ = std::fs::remove_file(&stamp);
        step("wasm-bindgen", || bindgen(&wasm, &pkg, release))?;
    }
    step("stylesheet and public files", || {
        copy(&paths.root.join("style/main.css"), &pkg.join(format!("{OUTPUT_NAME}.css")))?;
        copy_tree(&paths.root.join("public"), &paths.site)
    })?;
    // wasm-opt (a minute and a half) runs while the server compiles.
    let optimising = if release && !fresh { Some(WasmOpt::start(&paths, &site_wasm)?) } else { None };
    let mut server = vec!["build", "-p", "server", "--bin", "server"];
    if release {
        server.push("--release");
    }
    let built = step("server", || cargo(&paths, &server));
    if let Some(optimising) = optimising {
        step("waiting for wasm-opt -Oz", || optimising.finish())?;
    }
    if let Some(source) = source {
        std::fs::write(&stamp, source).map_err(|e| format!("{}: {e}", stamp.display()))?;
    }
    built
}

/// What names the front end's module as built: its path, size and time. The site's
/// module is remade when this differs from what it was made from (`pkg/.built-from`).
fn source_of(wasm: &Path) -> Option<String> {
    let metadata = std::fs::metadata(wasm).ok()?;
    let modified = metadata.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(format!("{} {} {}\n", wasm.display(), metadata.len(), modified.as_nanos()))
}

/// Runs one step, saying how long it took (the README's build figures come from here).
fn step(name: &str, run: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    let started = Instant::now();
    eprintln!("xtask: {name}");
    run()?;
    eprintln!("xtask: {name} done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn cargo(paths: &Paths, args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(args)
        .current_dir(&paths.root)
        .env("CARGO_TARGET_DIR", &paths.target)
        // Read at compile time by leptos: the pages then name `pkg/counterpoint.wasm`.
        .env("LEPTOS_OUTPUT_NAME", OUTPUT_NAME)
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("cargo {} failed", args.join(" "))) }
}

fn bindgen(wasm: &Path, pkg: &Path, release: bool) -> Result<(), String> {
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(wasm)
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e}"))?
        .typescript(false)
        .debug(!release)
        .keep_debug(!release)
        .out_name(OUTPUT_NAME);
    bindgen.generate(pkg).map_err(|e| format!("wasm-bindgen: {e:#}"))?;
    // wasm-bindgen names the module `{name}_bg.wasm`; the pages load `{name}.wasm`.
    let generated = pkg.join(format!("{OUTPUT_NAME}_bg.wasm"));
    let target = pkg.join(format!("{OUTPUT_NAME}.wasm"));
    std::fs::rename(&generated, &target).map_err(|e| format!("{}: {e}", generated.display()))
}

/// `wasm-opt -Oz` from npm's binaryen (`node_modules/.bin`), running in the background.
struct WasmOpt {
    child: std::process::Child,
    wasm: PathBuf,
    out: PathBuf,
    started: Instant,
}

impl WasmOpt {
    fn start(paths: &Paths, wasm: &Path) -> Result<WasmOpt, String> {
        let tool = paths.root.join("node_modules/.bin/wasm-opt");
        if !tool.exists() {
            return Err(format!("{} is missing: run `npm ci` (scripts/setup.sh does)", tool.display()));
        }
        let out = wasm.with_extension("opt.wasm");
        eprintln!("xtask: wasm-opt -Oz (in the background)");
        let child = Command::new(&tool)
            .arg("-Oz")
            .arg(wasm)
            .arg("-o")
            .arg(&out)
            .spawn()
            .map_err(|e| format!("wasm-opt: {e}"))?;
        Ok(WasmOpt { child, wasm: wasm.to_path_buf(), out, started: Instant::now() })
    }

    fn finish(mut self) -> Result<(), String> {
        let status = self.child.wait().map_err(|e| format!("wasm-opt: {e}"))?;
        if !status.success() {
            let _ = std::fs::remove_file(&self.out);
            return Err("wasm-opt failed".into());
        }
        eprintln!("xtask: wasm-opt -Oz took {:.1} s in all", self.started.elapsed().as_secs_f64());
        std::fs::rename(&self.out, &self.wasm).map_err(|e| format!("{}: {e}", self.wasm.display()))
    }
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to).map(|_| ()).map_err(|e| format!("{} → {}: {e}", from.display(), to.display()))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if source.is_dir() {
            copy_tree(&source, &target)?;
        } else {
            copy(&source, &target)?;
        }
    }
    Ok(())
}
