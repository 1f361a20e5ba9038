//! Scenario files: every shipped example compiles; bad files are refused
//! with the file, the line and the key path.

use fedsplit_data::Dataset;
use fedsplit_scenario::examples::EXAMPLES;
use fedsplit_scenario::spec::{self, SpecError};

fn data() -> Dataset {
    Dataset::embedded().unwrap()
}

fn error(text: &str) -> SpecError {
    spec::load("bad.toml", text, &data()).expect_err("must be refused")
}

fn assert_error(text: &str, line: usize, needles: &[&str]) {
    let e = error(text);
    let shown = e.to_string();
    assert_eq!(e.line, Some(line), "{shown}");
    assert!(shown.starts_with(&format!("bad.toml:{line}: ")), "{shown}");
    for n in needles {
        assert!(shown.contains(n), "{shown:?} lacks {n:?}");
    }
}

#[test]
fn shipped_examples_compile() {
    let d = data();
    for (name, text) in EXAMPLES {
        let s = spec::load(name, text, &d).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.name, name);
    }
}

#[test]
fn syntax_error() {
    assert_error(
        "name = \"x\"\n[blocs\nelection = 2024\n",
        2,
        &["invalid table header"],
    );
}

#[test]
fn unknown_key_with_path() {
    let text = "name = \"x\"\n[blocs]\nelection = 2024\n[bluexit]\nincome_tax_scale = 0.5\nwithdraww = [\"snap\"]\n";
    assert_error(text, 6, &["bluexit", "unknown field `withdraww`"]);
    let text = "name = \"x\"\n[blocs]\nelection = 2024\n[bluexit.bloc.Democratic]\nscale = 0.5\n";
    assert_error(
        text,
        5,
        &["bluexit.bloc.Democratic", "unknown field `scale`"],
    );
}

#[test]
fn unknown_state() {
    let text = "name = \"x\"\n[blocs]\nlist = [\n  { name = \"A\", states = [\"CA\", \"XX\"] },\n]\n[partition]\n";
    assert_error(text, 4, &["blocs.list[0].states[1]", "\"XX\""]);
    let text = "name = \"x\"\n[blocs.assignment]\nCA = \"A\"\nQQ = \"B\"\n[partition]\n";
    assert_error(text, 4, &["blocs.assignment.QQ", "\"QQ\""]);
}

#[test]
fn state_in_two_blocs() {
    let text = "name = \"x\"\n[blocs]\nlist = [\n  { name = \"A\", states = [\"CA\", \"OR\"] },\n  { name = \"B\", states = [\"OR\"] },\n]\n[partition]\n";
    assert_error(text, 5, &["OR is in two blocs", "\"A\"", "\"B\""]);
}

#[test]
fn empty_bloc() {
    let text = "name = \"x\"\n[blocs]\nlist = [\n  { name = \"A\", states = [\"CA\"] },\n  { name = \"B\", states = [] },\n  { name = \"C\", rest = true },\n]\n[partition]\n";
    assert_error(text, 5, &["bloc \"B\" has no states"]);
}

#[test]
fn negative_scale() {
    let text = "name = \"x\"\n[blocs]\nelection = 2024\n\n[bluexit.bloc.Republican]\nincome_tax_scale = -0.5\n";
    assert_error(
        text,
        6,
        &[
            "bluexit.bloc.Republican.income_tax_scale",
            "non-negative",
            "-0.5",
        ],
    );
}

#[test]
fn share_outside_unit_interval() {
    let text = "name = \"x\"\n[blocs]\nelection = 2024\n[bluexit]\nreplace_share = 1.5\n";
    assert_error(
        text,
        5,
        &["bluexit.replace_share", "between 0 and 1", "1.5"],
    );
}

#[test]
fn unknown_bloc_in_override() {
    let text =
        "name = \"x\"\n[blocs]\nelection = 2024\n[bluexit.bloc.Blue]\nincome_tax_scale = 0\n";
    assert_error(
        text,
        4,
        &["no bloc named \"Blue\"", "Democratic, Republican"],
    );
}

#[test]
fn wrong_type_and_bad_option() {
    let text = "name = \"x\"\n[blocs]\nelection = \"2024\"\n[partition]\n";
    assert_error(text, 3, &["blocs.election", "invalid type"]);
    let text = "name = \"x\"\n[ledger]\nmethod = \"gers\"\n[blocs]\nelection = 2024\n[partition]\n";
    assert_error(text, 3, &["ledger.method", "\"gers\""]);
    let text = "name = \"x\"\n[blocs]\nelection = 2024\n[bluexit]\nwithdraw = [\"defense\"]\n";
    assert_error(text, 5, &["bluexit.withdraw", "unknown variant `defense`"]);
}

#[test]
fn structural_errors() {
    let e = error("name = \"x\"\n[blocs]\nelection = 2024\n");
    assert!(e.to_string().contains("no policy"), "{e}");
    let e = error("name = \"x\"\n[blocs]\nelection = 2012\n[partition]\n");
    assert!(e.to_string().contains("2012"), "{e}");
    let e = error("name = \"x\"\n[blocs]\nelection = 2024\nmargin = 120\n[partition]\n");
    assert_eq!(e.line, Some(4), "{e}");
    let e = error("name = \"x\"\n[blocs]\nelection = 2024\nlist = []\n[partition]\n");
    assert!(e.to_string().contains("exactly one of"), "{e}");
    let e = error("name = \"x\"\n[blocs]\nelection = 2024\nmargin = 99\n[partition]\n");
    assert!(e.to_string().contains("single bloc"), "{e}");
    let e = error("[blocs]\nelection = 2024\n[partition]\n");
    assert!(e.to_string().contains("missing field `name`"), "{e}");
}

#[test]
fn withdrawn_and_devolved_is_refused() {
    let text = "name = \"x\"\n[blocs]\nelection = 2024\n[bluexit]\nwithdraw = [\"snap\"]\n[devolution]\nprograms = [\"snap\"]\n";
    let e = error(text);
    assert!(e.to_string().contains("snap is both withdrawn"), "{e}");
}

#[test]
fn json_scenarios_use_the_same_schema() {
    let json = r#"{"name": "x", "blocs": {"election": 2024}, "bluexit": {"income_tax_scale": 0.5, "bogus": 1}}"#;
    let mut de = serde_json::Deserializer::from_str(json);
    let e = spec::parse_json_value("request", &mut de).unwrap_err();
    assert!(
        e.to_string().contains("bluexit") && e.to_string().contains("bogus"),
        "{e}"
    );
}
