//! Builds the browser client and embeds it in the server binary.
//!
//! So that `cargo run --release -p server` is the whole build: this script compiles the `app`
//! crate with its `ui` feature for `wasm32-unknown-unknown` (in its own target directory, so it
//! never waits on the outer build's lock), generates the JavaScript glue with wasm-bindgen's
//! library form (the version pinned in Cargo.toml, equal to the client's), shrinks the module
//! with `wasm-opt` when a compatible binaryen is installed, gives every asset a content-hashed name,
//! precompresses it with brotli and gzip, and writes `assets.rs` for `include!`.
//!
//! `BANSHITONG_SKIP_CLIENT=1` skips the client (API-only builds while iterating on the server).

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.parent().unwrap().to_path_buf();
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    let site = out_dir.join("site");
    let _ = fs::remove_dir_all(&site);
    fs::create_dir_all(&site).unwrap();

    for watched in [
        "app/src",
        "app/data",
        "app/Cargo.toml",
        "style",
        "public",
        "Cargo.lock",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }
    println!("cargo:rerun-if-env-changed=BANSHITONG_SKIP_CLIENT");
    println!("cargo:rerun-if-env-changed=BANSHITONG_WASM_OPT");

    let mut assets = Vec::new();
    if env::var_os("BANSHITONG_SKIP_CLIENT").is_some_and(|v| v != "0") {
        println!("cargo:warning=BANSHITONG_SKIP_CLIENT is set: the browser client is not built");
        fs::write(
            out_dir.join("splits.rs"),
            "pub static SPLITS: &[(&str, &[&str])] = &[];\npub const BUILD_BASE: &str = \"\";\n",
        )
        .unwrap();
    } else {
        assets = build_client(&root, &site);
    }
    write_asset_table(&out_dir, &assets);
}

struct BuiltAsset {
    /// URL path, e.g. `/assets/app-1a2b3c4d5e.wasm` or `/index.html`.
    url: String,
    content_type: &'static str,
    /// Hashed assets never change under the same name and may be cached for a year.
    immutable: bool,
    file: PathBuf,
}

fn build_client(root: &Path, site: &Path) -> Vec<BuiltAsset> {
    ensure_wasm_target();
    let wasm = compile_client(root);
    let input = fs::read(&wasm).expect("the compiled client");

    // Every file of one build lives under `/assets/<build>/`: wasm-split's loader fetches the
    // chunks relative to its own URL, and the glue imports the loader by a fixed name, so the
    // files cannot each carry their own hash. The build id (a hash of the linked module) changes
    // whenever any of them does, so the whole folder may be cached for a year.
    let build_id = short_hash(&input);
    let pkg = site.join("pkg");
    fs::create_dir_all(&pkg).unwrap();
    let main_wasm = pkg.join("main.wasm");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = &pkg;
        options.main_out_path = &main_wasm;
        options.link_name = SPLIT_LINK;
        options.main_module = "./app.js";
        options
    })
    .expect("wasm-split failed to split the client");

    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&main_wasm)
        .out_name("app")
        .web(true)
        .expect("wasm-bindgen web target")
        .typescript(false)
        .keep_lld_exports(true)
        .demangle(false)
        .remove_name_section(true)
        .remove_producers_section(true)
        .generate(&pkg)
        .expect("wasm-bindgen failed to generate the client glue");
    fs::remove_file(&main_wasm).unwrap();

    let base = format!("/assets/{build_id}");
    let wasm_url = format!("{base}/app_bg.wasm");
    // The glue loads the module by URL; start it from the glue itself so the page needs no
    // inline script (the CSP forbids inline scripts).
    let glue = pkg.join("app.js");
    let mut js = fs::read_to_string(&glue).unwrap();
    write!(js, "\n__wbg_init({{ module_or_path: \"{wasm_url}\" }});\n").unwrap();
    fs::write(&glue, js).unwrap();

    let mut assets = Vec::new();
    let mut names: Vec<String> = fs::read_dir(&pkg)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    let mut chunk_list = String::new();
    for name in &names {
        let file = pkg.join(name);
        let content_type = if name.ends_with(".wasm") {
            optimise_wasm(&file);
            "application/wasm"
        } else if name.ends_with(".js") {
            "text/javascript; charset=utf-8"
        } else {
            continue;
        };
        compress(&file);
        assets.push(BuiltAsset {
            url: format!("{base}/{name}"),
            content_type,
            immutable: true,
            file,
        });
        if name.ends_with(".wasm") && name != "app_bg.wasm" {
            writeln!(chunk_list, "{name}").unwrap();
        }
    }
    // Which chunk files each split point needs (for preloading a deep link's chunks).
    let mut prefetch: Vec<_> = split.prefetch_map.into_iter().collect();
    prefetch.sort();
    let mut manifest = String::from("pub static SPLITS: &[(&str, &[&str])] = &[\n");
    for (split_name, files) in prefetch {
        writeln!(manifest, "    ({split_name:?}, &{files:?}),").unwrap();
    }
    manifest.push_str("];\n");
    write!(manifest, "pub const BUILD_BASE: &str = {base:?};\n").unwrap();
    fs::write(site.parent().unwrap().join("splits.rs"), manifest).unwrap();

    let css = fs::read(root.join("style/main.css")).expect("style/main.css");
    let css_url = hashed_asset(
        site,
        "main",
        "css",
        &css,
        "text/css; charset=utf-8",
        &mut assets,
    );

    let template = fs::read_to_string(root.join("public/index.html")).expect("public/index.html");
    let html = template
        .replace("{{CSS}}", &css_url)
        .replace("{{JS}}", &format!("{base}/app.js"))
        .replace("{{WASM}}", &wasm_url);
    let index = site.join("index.html");
    fs::write(&index, html).unwrap();
    compress(&index);
    assets.push(BuiltAsset {
        url: "/index.html".into(),
        content_type: "text/html; charset=utf-8",
        immutable: false,
        file: index,
    });

    // Everything else in public/ is served under its own name.
    for entry in fs::read_dir(root.join("public")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name == "index.html" || !path.is_file() {
            continue;
        }
        let file = site.join(&name);
        fs::copy(&path, &file).unwrap();
        compress(&file);
        assets.push(BuiltAsset {
            url: format!("/{name}"),
            content_type: content_type_for(&name),
            immutable: false,
            file,
        });
    }
    assets
}

/// The wasm import module through which the main module reaches its split chunks.
const SPLIT_LINK: &str = "./__wasm_split.js";

fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(5)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn ensure_wasm_target() {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let sysroot = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .unwrap();
    let sysroot = String::from_utf8(sysroot.stdout).unwrap();
    let target_lib = Path::new(sysroot.trim())
        .join("lib/rustlib")
        .join(WASM_TARGET);
    if !target_lib.exists() {
        println!("cargo:warning=installing the {WASM_TARGET} target with rustup");
        let status = Command::new("rustup")
            .args(["target", "add", WASM_TARGET])
            .status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "could not install the {WASM_TARGET} target; run `rustup target add {WASM_TARGET}`"
        );
    }
}

fn compile_client(root: &Path) -> PathBuf {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target_dir = root.join("target/client");
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args([
            "build",
            "-p",
            "app",
            "--lib",
            "--features",
            "ui",
            "--target",
            WASM_TARGET,
        ])
        .args(["--profile", "wasm-release", "--target-dir"])
        .arg(&target_dir);
    // The outer build's settings are for the host and must not leak into the wasm build.
    for var in [
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_MAKEFLAGS",
        "MAKEFLAGS",
        "MFLAGS",
        "CARGO_PRIMARY_PACKAGE",
        "TARGET",
        "HOST",
        "PROFILE",
        "OPT_LEVEL",
        "DEBUG",
    ] {
        command.env_remove(var);
    }
    // wasm-split needs the linker's relocations to cut the module into chunks. Source paths
    // in panic locations are shortened: they are download bytes and say nothing to a citizen.
    let cargo_home = env::var("CARGO_HOME")
        .unwrap_or_else(|_| format!("{}/.cargo", env::var("HOME").unwrap_or_default()));
    let flags = [
        "-Clink-args=--emit-relocs".to_string(),
        format!("--remap-path-prefix={cargo_home}/registry/src="),
        format!("--remap-path-prefix={}=", root.display()),
    ];
    command.env("CARGO_ENCODED_RUSTFLAGS", flags.join("\u{1f}"));
    let output = command.output().expect("run cargo for the wasm client");
    if !output.status.success() {
        std::io::stderr().write_all(&output.stderr).unwrap();
        panic!("building the browser client (app, feature ui, {WASM_TARGET}) failed; see above");
    }
    target_dir
        .join(WASM_TARGET)
        .join("wasm-release")
        .join("app.wasm")
}

/// Shrinks a module in place with `wasm-opt -Oz` when a compatible binaryen is installed
/// (`WASM_OPT=/path/to/wasm-opt`, `wasm-opt` on the PATH, or npm's `binaryen` under
/// `end2end/node_modules`).
///
/// binaryen older than version 116 (Debian bookworm ships 108) predates the reference-types glue
/// wasm-bindgen 0.2.130 emits and breaks the page ("WebAssembly.Table.set … must be a Wasm
/// function object"), so an old one is skipped with a warning. Stripping the name section
/// (done by wasm-bindgen) gives most of the gain, so without binaryen the client is only a little
/// larger. `BANSHITONG_WASM_OPT=0` skips it always.
fn optimise_wasm(file: &Path) {
    static WASM_OPT: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let Some(wasm_opt) = WASM_OPT.get_or_init(find_wasm_opt) else {
        return;
    };
    let output = file.with_extension("opt.wasm");
    let status = Command::new(wasm_opt)
        .args([
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-reference-types",
            "--enable-sign-ext",
            "--enable-multivalue",
            "--enable-mutable-globals",
        ])
        .arg(file)
        .arg("-o")
        .arg(&output)
        .status();
    match status {
        Ok(s) if s.success() => fs::rename(&output, file).unwrap(),
        _ => {
            let _ = fs::remove_file(&output);
            println!(
                "cargo:warning=wasm-opt failed on {}; serving it unoptimised",
                file.display()
            );
        }
    }
}

fn find_wasm_opt() -> Option<PathBuf> {
    const MIN_BINARYEN: u32 = 116;
    println!("cargo:rerun-if-env-changed=WASM_OPT");
    if env::var_os("BANSHITONG_WASM_OPT").is_some_and(|v| v == "0") {
        return None;
    }
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let candidates = [
        env::var_os("WASM_OPT").map(PathBuf::from),
        Some(PathBuf::from("wasm-opt")),
        Some(root.join("../end2end/node_modules/.bin/wasm-opt")),
    ];
    let mut too_old = None;
    for candidate in candidates.into_iter().flatten() {
        let version = Command::new(&candidate)
            .arg("--version")
            .output()
            .ok()
            .and_then(|out| {
                String::from_utf8_lossy(&out.stdout)
                    .split_whitespace()
                    .find_map(|word| word.parse::<u32>().ok())
            });
        match version {
            Some(v) if v >= MIN_BINARYEN => return Some(candidate),
            Some(v) => too_old = Some(v),
            None => {}
        }
    }
    if let Some(v) = too_old {
        println!("cargo:warning=wasm-opt {v} is older than {MIN_BINARYEN} and would break the client; skipped");
    }
    None
}

fn hashed_asset(
    site: &Path,
    stem: &str,
    ext: &str,
    bytes: &[u8],
    content_type: &'static str,
    assets: &mut Vec<BuiltAsset>,
) -> String {
    let digest = Sha256::digest(bytes);
    let hash: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    let name = format!("{stem}-{hash}.{ext}");
    let file = site.join(&name);
    fs::write(&file, bytes).unwrap();
    compress(&file);
    let url = format!("/assets/{name}");
    assets.push(BuiltAsset {
        url: url.clone(),
        content_type,
        immutable: true,
        file,
    });
    url
}

/// Writes `FILE.br` and `FILE.gz` beside `FILE`.
fn compress(file: &Path) {
    let raw = fs::read(file).unwrap();
    let mut br = Vec::new();
    {
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut raw.as_slice(), &mut br, &params).unwrap();
    }
    fs::write(with_suffix(file, "br"), br).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&raw).unwrap();
    fs::write(with_suffix(file, "gz"), gz.finish().unwrap()).unwrap();
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn content_type_for(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "json" | "webmanifest" => "application/manifest+json",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn write_asset_table(out_dir: &Path, assets: &[BuiltAsset]) {
    let mut code = String::from("pub static ASSETS: &[Asset] = &[\n");
    for asset in assets {
        let file = asset.file.display().to_string();
        writeln!(
            code,
            "    Asset {{ url: {url:?}, content_type: {ct:?}, immutable: {imm}, raw: include_bytes!({raw:?}), br: include_bytes!({br:?}), gzip: include_bytes!({gz:?}) }},",
            url = asset.url,
            ct = asset.content_type,
            imm = asset.immutable,
            raw = file,
            br = format!("{file}.br"),
            gz = format!("{file}.gz"),
        )
        .unwrap();
    }
    code.push_str("];\n");
    fs::write(out_dir.join("assets.rs"), code).unwrap();
}
