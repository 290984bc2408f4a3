#!/usr/bin/python3
"""Unit tests of the fuzzing tools: seed extraction from scenarios (tools/seedlib.py,
tools/gen_seeds.py), crash grouping, durations and summaries (campaign.py)."""

import hashlib
import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

FUZZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(FUZZ / "tools"))
sys.path.insert(0, str(FUZZ))
import campaign  # noqa: E402
import seedlib  # noqa: E402

SCENARIO = {
    "group": "pop3/example",
    "protocol": "pop3",
    "scenarios": [{
        "id": "two-connections",
        "title": "t",
        "requirements": ["POP3-1939-STAT.1"],
        "profiles": ["rfc1939"],
        "steps": [
            {"connect": "main"},
            {"login": "user"},
            {"send": ["STAT", "LIST ${n}"]},
            {"connect": "second"},
            {"login": "user2", "on": "second", "using": "apop"},
            {"send_raw": "NOOP\n", "on": "second"},
            {"send": "RETR 1", "on": "main"},
            {"send_raw": {"prefix": "USER ", "repeat": "a", "count": 3, "suffix": "\r\n"}, "on": "main"},
            {"close": "main"},
            {"drop": "second"},
        ],
    }],
}


class SeedExtractionTest(unittest.TestCase):
    def test_expands_variables_and_keeps_literal_dollar_braces(self):
        self.assertEqual(seedlib.expand("USER ${user} $${x} ${unknown}"), "USER popspec ${x} 1")

    def test_apop_digest_is_md5_of_timestamp_and_secret(self):
        expected = hashlib.md5(b"<1896.697170952@popspec.fuzz>popspec-secret").hexdigest()
        self.assertEqual(seedlib.apop_digest("popspec-secret"), expected)

    def test_each_connection_becomes_one_wire_transcript(self):
        t = {x["connection"]: x for x in seedlib.transcripts(SCENARIO)}
        self.assertEqual(t["main"]["data"],
                         b"USER popspec\r\nPASS popspec-secret\r\nSTAT\r\nLIST 1\r\n"
                         b"RETR 1\r\nUSER aaa\r\nQUIT\r\n")
        digest = seedlib.apop_digest("popspec2-secret").encode()
        self.assertEqual(t["second"]["data"], b"APOP popspec2 " + digest + b"\r\nNOOP\n")
        self.assertIn(b"STAT", t["main"]["lines"])

    def test_pop2_login_is_helo_with_quoted_arguments(self):
        doc = {"protocol": "pop2", "scenarios": [{"id": "x", "steps": [
            {"connect": "main"}, {"login": "user"}, {"send": "READ"}]}]}
        (t,) = seedlib.transcripts(doc)
        self.assertEqual(t["data"], b"HELO popspec popspec-secret\r\nREAD\r\n")

    def test_malformed_documents_yield_nothing_rather_than_failing(self):
        for doc in (None, [], {"protocol": "pop3", "scenarios": [1, {"steps": [2, {"send": 3}]}]},
                    {"protocol": "smtp", "scenarios": []}):
            self.assertEqual(list(seedlib.transcripts(doc)), [])

    def test_every_seed_mode_has_builtin_seeds(self):
        modes = {spec["seeds"] for spec in seedlib.load_manifest(FUZZ / "targets.json").values()}
        for mode in modes:
            self.assertTrue(seedlib.builtin_seeds(mode), mode)

    def test_gen_seeds_writes_every_target_and_drops_stale_seeds(self):
        with tempfile.TemporaryDirectory() as tmp:
            scenarios = Path(tmp) / "scenarios"
            (scenarios / "pop3").mkdir(parents=True)
            (scenarios / "pop3" / "example.json").write_text(json.dumps(SCENARIO))
            out = Path(tmp) / "seeds"
            (out / "pop3_session").mkdir(parents=True)
            (out / "pop3_session" / "stale").write_bytes(b"old")
            subprocess.run([sys.executable, str(FUZZ / "tools" / "gen_seeds.py"), "--scenarios",
                            str(scenarios), "--manifest", str(FUZZ / "targets.json"), "--out",
                            str(out)], check=True, stdout=subprocess.DEVNULL)
            self.assertFalse((out / "pop3_session" / "stale").exists())
            for target in seedlib.load_manifest(FUZZ / "targets.json"):
                self.assertTrue(any((out / target).iterdir()), target)
            sessions = [p.read_bytes() for p in (out / "pop3_session").iterdir()]
            self.assertIn(b"USER popspec\r\nPASS popspec-secret\r\nSTAT\r\nLIST 1\r\n"
                          b"RETR 1\r\nUSER aaa\r\nQUIT\r\n", sessions)
            loader = [p.read_bytes() for p in (out / "scenario_loader").iterdir()]
            self.assertIn(json.dumps(SCENARIO).encode(), loader)


class ScenarioStubTest(unittest.TestCase):
    def test_session_crash_becomes_a_replayable_scenario(self):
        data = b"USER popspec\r\nPASS popspec-secret\r\nDELE 1\nRETR ${x}\r\nQUI"
        stub = seedlib.scenario_stub("pop3_session", data, "fuzz: title")
        steps = stub["scenarios"][0]["steps"]
        self.assertEqual(stub["protocol"], "pop3")
        self.assertEqual(steps[0], {"connect": "main"})
        self.assertEqual(steps[1], {"send": ["USER ${user}", "PASS ${pass}"]})
        self.assertEqual(steps[2], {"send_raw": "DELE 1\n"})
        self.assertEqual(steps[3], {"send": "RETR $${x}"})
        self.assertEqual(steps[4], {"send_raw": "QUI"})
        self.assertEqual(steps[-1], {"drop": "main"})

    def test_octets_survive_as_json_characters(self):
        stub = seedlib.scenario_stub("pop2_command", b"HELO \xff\x00", "t")
        self.assertEqual(stub["protocol"], "pop2")
        text = json.dumps(stub)
        self.assertEqual(json.loads(text)["scenarios"][0]["steps"][1],
                         {"send": "HELO \u00ff\u0000"})

    def test_parser_of_server_output_gets_no_stub(self):
        self.assertIsNone(seedlib.scenario_stub("pop3_response", b"+OK\r\n", "t"))


class CampaignTest(unittest.TestCase):
    def test_durations(self):
        self.assertEqual(campaign.parse_duration("8h"), 8 * 3600)
        self.assertEqual(campaign.parse_duration("1h30m"), 5400)
        self.assertEqual(campaign.parse_duration("45"), 45)
        with self.assertRaises(Exception):
            campaign.parse_duration("8 hours")

    def test_invariant_failures_group_by_check_not_by_stack(self):
        a = ("popspec fuzz invariant violated at /src/fuzz/sessions/pop3_transcript.cpp:212\n"
             "  check: r.ok == correct\n+OK to a wrong PASS\n    #0 0x1 in abort\n")
        b = a.replace("+OK to a wrong PASS", "other detail") + "    #9 0x2 in foo /x.cpp:1\n"
        self.assertEqual(campaign.crash_signature(a), campaign.crash_signature(b))
        self.assertIn("pop3_transcript.cpp:212", campaign.crash_signature(a))

    def test_sanitizer_crashes_group_by_kind_and_project_frames(self):
        report = """==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602 at pc 0x1
READ of size 1 at 0x602 thread T0
    #0 0x55 in __asan_memcpy (/b/fuzz/x+0x1)
    #1 0x56 in popspec::codec::parse_command(std::basic_string_view<char>) /src/reference/src/codec/pop3_command.cpp:41:7
    #2 0x57 in std::vector<int>::push_back(int) /usr/include/c++/12/bits/stl_vector.h:10:3
    #3 0x58 in popspec::pop3::session::on_line(x) /src/reference/src/pop3/session.cpp:99:3
    #4 0x59 in LLVMFuzzerTestOneInput /src/fuzz/targets/pop3_session.cpp:14:3
    #5 0x60 in fuzzer::Fuzzer::ExecuteCallback() (/b/fuzz/x+0x2)
"""
        signature = campaign.crash_signature(report)
        self.assertEqual(signature, "heap-buffer-overflow in popspec::codec::parse_command < "
                                    "popspec::pop3::session::on_line")
        moved = report.replace("pop3_command.cpp:41:7", "pop3_command.cpp:57:2")
        self.assertEqual(campaign.crash_signature(moved), signature)

    def test_ubsan_reports_name_the_check(self):
        report = ("/src/a.cpp:3:5: runtime error: signed integer overflow: 2147483647 + 1 cannot "
                  "be represented in type 'int'\n    #0 0x1 in popspec::f() /src/a.cpp:3:5\n")
        self.assertTrue(campaign.crash_signature(report).startswith(
            "ubsan: signed integer overflow: N + N"))

    def test_summary_lists_targets_and_crashes(self):
        with tempfile.TemporaryDirectory() as tmp:
            class Args:
                dir = tmp
                build_dir = tmp + "/build"
            c = campaign.Campaign(Args)
            c.state["settings"] = {"duration": 3600, "cores": 2, "rss_limit_mb": 2048,
                                   "corpus_cap_mb": 64}
            ts = c.target_state("pop3_command")
            ts.update({"fuzzed_s": 100.0, "executions": 1_000_000, "cov": 10, "ft": 20,
                       "corpus_at_start": 0})
            (Path(tmp) / "corpus" / "pop3_command").mkdir(parents=True)
            (Path(tmp) / "corpus" / "pop3_command" / "a").write_bytes(b"STAT")
            crash_input = Path(tmp) / "input"
            crash_input.write_bytes(b"RETR \xff\r\n")
            c.state["crashes"]["pop3_command"] = {"abc": {
                "signature": "invariant x.cpp:1", "kind": "crash", "count": 2,
                "first_seen": "now", "input": str(crash_input), "input_octets": 8,
                "report": "r", "scenario_stub": None, "reproduce": "bin input",
                "regression": "cp"}}
            data = campaign.write_summary(c)
            t = data["targets"]["pop3_command"]
            self.assertEqual(t["exec_per_second"], 10000)
            self.assertEqual(t["exec_per_second_per_core"], 5000)
            self.assertEqual(t["new_corpus_entries"], 1)
            md = (Path(tmp) / "summary.md").read_text()
            self.assertIn("| pop3_command | 1m40s | 1000000 | 10000 (5000) | 10 | 20 | 1 | 1 | 1 |",
                          md)
            self.assertIn("`RETR \\xFF\\r\\n`", md)
            self.assertIn("reproduce: `bin input`", md)


if __name__ == "__main__":
    unittest.main()
