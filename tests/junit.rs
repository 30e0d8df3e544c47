//! `vsh --junit FILE`: the checks of ping blocks as a JUnit report that CI servers read,
//! validated against the JUnit schema Jenkins publishes (junit-10.xsd, which GitLab's and
//! GitHub's readers accept too) and read back with XPath; written also when the run fails or
//! is interrupted.

use crate::lab::Lab;

/// Jenkins' junit-10.xsd (xunit-plugin), as CI servers expect reports to be.
const JUNIT_XSD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified" attributeFormDefault="unqualified">
  <xs:element name="failure">
    <xs:complexType mixed="true">
      <xs:attribute name="type" type="xs:string" use="optional"/>
      <xs:attribute name="message" type="xs:string" use="optional"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="error">
    <xs:complexType mixed="true">
      <xs:attribute name="type" type="xs:string" use="optional"/>
      <xs:attribute name="message" type="xs:string" use="optional"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="skipped">
    <xs:complexType mixed="true">
      <xs:attribute name="type" type="xs:string" use="optional"/>
      <xs:attribute name="message" type="xs:string" use="optional"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="properties">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="property" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
  <xs:element name="property">
    <xs:complexType>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="value" type="xs:string" use="required"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="system-err" type="xs:string"/>
  <xs:element name="system-out" type="xs:string"/>
  <xs:element name="testcase">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="skipped" minOccurs="0" maxOccurs="1"/>
        <xs:element ref="error" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element ref="failure" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element ref="system-out" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element ref="system-err" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="assertions" type="xs:string" use="optional"/>
      <xs:attribute name="time" type="xs:string" use="optional"/>
      <xs:attribute name="classname" type="xs:string" use="optional"/>
      <xs:attribute name="status" type="xs:string" use="optional"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuite">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="properties" minOccurs="0" maxOccurs="1"/>
        <xs:element ref="testcase" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element ref="system-out" minOccurs="0" maxOccurs="1"/>
        <xs:element ref="system-err" minOccurs="0" maxOccurs="1"/>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="tests" type="xs:string" use="required"/>
      <xs:attribute name="failures" type="xs:string" use="optional"/>
      <xs:attribute name="errors" type="xs:string" use="optional"/>
      <xs:attribute name="time" type="xs:string" use="optional"/>
      <xs:attribute name="disabled" type="xs:string" use="optional"/>
      <xs:attribute name="skipped" type="xs:string" use="optional"/>
      <xs:attribute name="timestamp" type="xs:string" use="optional"/>
      <xs:attribute name="hostname" type="xs:string" use="optional"/>
      <xs:attribute name="id" type="xs:string" use="optional"/>
      <xs:attribute name="package" type="xs:string" use="optional"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuites">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="testsuite" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string" use="optional"/>
      <xs:attribute name="time" type="xs:string" use="optional"/>
      <xs:attribute name="tests" type="xs:string" use="optional"/>
      <xs:attribute name="failures" type="xs:string" use="optional"/>
      <xs:attribute name="disabled" type="xs:string" use="optional"/>
      <xs:attribute name="errors" type="xs:string" use="optional"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"#;

/// h1, h2 (10.0.0.1-2/24) on bridge br0.
const STAR2: &str = "link add br0 type bridge\n\
    link set br0 up\n\
    for i in 1..2 {\n\
        netns add h$i\n\
        veth v$i peer e$i netns h$i\n\
        link set v$i master br0\n\
        link set v$i up\n\
        netns h$i { addr add 10.0.0.$i/24 dev e$i; link set e$i up }\n\
    }\n";

/// Runs `bash` (which writes report.xml) in the sandbox, validates the report against the
/// schema and answers each XPath query with xmllint; the outputs after the run's own.
fn checked(script: &str, bash: &str, queries: &[&str]) -> (crate::lab::Run, Vec<String>) {
    let mut shell = format!(
        "cat >junit.xsd <<'XSD'\n{JUNIT_XSD}XSD\n{bash}\n\
         echo ---; xmllint --noout --schema junit.xsd report.xml 2>&1; echo \"valid $?\"\n"
    );
    for q in queries {
        shell.push_str(&format!(
            "echo ---; xmllint --xpath '{q}' report.xml; echo\n"
        ));
    }
    let run = Lab::new(script).shell(&shell).run().success();
    let parts: Vec<String> = run.stdout.split("---\n").map(str::to_string).collect();
    assert!(
        parts
            .get(1)
            .is_some_and(|v| v.contains("report.xml validates") && v.contains("valid 0")),
        "{}",
        run.stdout
    );
    let answers = parts[2..].iter().map(|a| a.trim().to_string()).collect();
    (run, answers)
}

#[test]
fn each_check_is_a_testcase_and_a_failure_carries_its_reason() {
    needs_root!();
    let script = format!(
        "{STAR2}ping {{\n\
         \x20   for i in 1..2 {{ h$i -> 10.0.0.${{3 - i}} }}\n\
         \x20   h1 !-> 10.0.0.2\n\
         }}\n"
    );
    let block = STAR2.lines().count() + 1;
    let (run, answers) = checked(
        &script,
        "\"$VSH\" --junit report.xml script.vnet; echo \"status $?\"",
        &[
            "count(//testsuite/testcase)",
            "string(//testsuite/@failures)",
            "string(//testcase[1]/@name)",
            "string(//testcase[1]/@classname)",
            "string(//testcase[failure]/@name)",
            "string(//testcase[failure]/@classname)",
            "string(//testcase[failure]/failure/@message)",
            "string(//testcase[failure]/failure)",
            "count(//testcase[failure or skipped or error])",
        ],
    );
    assert!(run.stdout.contains("status 1"), "{}", run.stdout);
    assert_eq!(answers[0], "3");
    assert_eq!(answers[1], "1");
    assert_eq!(answers[2], "h1 -> 10.0.0.2");
    assert_eq!(answers[3], format!("script.vnet:{}", block + 1));
    assert_eq!(answers[4], "h1 !-> 10.0.0.2");
    assert_eq!(answers[5], format!("script.vnet:{}", block + 2));
    assert!(answers[6].starts_with("reply in "), "{answers:?}");
    assert!(
        answers[7].starts_with(&format!("h1 !-> 10.0.0.2 (line {}): reply in ", block + 2)),
        "{answers:?}"
    );
    assert_eq!(answers[8], "1");
}

#[test]
fn the_report_is_written_when_the_run_is_interrupted_or_fails_elsewhere() {
    needs_root!();
    // Nobody answers for 10.0.0.9: Ctrl-C stops the block; its checks are skipped.
    let script = format!("{STAR2}echo waiting\nping -W 20 {{ h1 -> 10.0.0.9; h2 -> 10.0.0.9 }}\n");
    let (run, answers) = checked(
        &script,
        "set -m
         \"$VSH\" --junit report.xml script.vnet >out 2>err & pid=$!
         for i in $(seq 100); do grep -q waiting out && break; sleep 0.05; done
         sleep 0.3; kill -INT $pid; wait $pid; echo \"status $?\"",
        &["count(//testcase/skipped)", "string(//testcase[2]/@name)"],
    );
    assert!(run.stdout.contains("status 130"), "{}", run.stdout);
    assert_eq!(answers[0], "2");
    assert_eq!(answers[1], "h2 -> 10.0.0.9");
    // A run that fails outside a ping block: a testcase `run` with the error.
    let (_, answers) = checked(
        &format!("{STAR2}ping {{ h1 -> 10.0.0.2 }}\nlink set nosuch up\n"),
        "\"$VSH\" --junit report.xml script.vnet; echo \"status $?\"",
        &[
            "count(//testcase)",
            "string(//testcase[error]/@name)",
            "string(//testcase[error]/error/@message)",
        ],
    );
    assert_eq!(answers[0], "2");
    assert_eq!(answers[1], "run");
    assert!(answers[2].contains("nosuch"), "{answers:?}");
}
