/* cli.c - the command table and the dispatcher. */
#include "cli/cli.h"

#include "base/crypto.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const struct cli_command cli_commands[] = {
    {"init", cmd_init, 0, "create a database (or upgrade one) and record the first audit entry",
     "usage: tillit init [--db PATH]\n"
     "\n"
     "Creates the database (default ./tillit.db, or $TILLIT_DB), applies the schema\n"
     "and writes the first audit-log entry. On an existing database it applies any\n"
     "pending migrations and changes nothing else.\n"},
    {"org", cmd_org, CLI_NEEDS_DB | CLI_WRITES,
     "organizations: create, list, show, edit",
     "usage: tillit org create SLUG --name NAME [--legal-name TEXT] [--description TEXT]\n"
     "                         [--industry TEXT] [--country CODE] [--language en|sv]\n"
     "       tillit org list [--format table|json|csv]\n"
     "       tillit org show [SLUG] [--format table|json]\n"
     "       tillit org edit SLUG [--name ...] [--legal-name ...] [--description ...]\n"
     "                            [--industry ...] [--country ...] [--language en|sv]\n"
     "\n"
     "One database holds many organizations (a consultant's clients side by side).\n"
     "Other commands work on the only organization, or on the one named by --org SLUG\n"
     "or $TILLIT_ORG.\n"},
    {"person", cmd_person, CLI_NEEDS_ORG | CLI_WRITES, "people: list, show, add, edit, remove",
     "usage: tillit person list [--department D] [--active] [--format table|json|csv]\n"
     "       tillit person show EMAIL [--format table|json]\n"
     "       tillit person add EMAIL --name NAME [--title TEXT] [--department TEXT]\n"
     "                         [--manager EMAIL] [--start DATE] [--end DATE]\n"
     "                         [--control-owner] [--approver]\n"
     "       tillit person edit EMAIL [--email NEW] [--name ...] [--title ...]\n"
     "                          [--department ...] [--manager EMAIL] [--start DATE]\n"
     "                          [--end DATE]\n"
     "                          [--control-owner | --no-control-owner]\n"
     "                          [--approver | --no-approver] [--if-version N]\n"
     "       tillit person remove EMAIL\n"
     "\n"
     "People are known by email. DATE is YYYY-MM-DD; the end date is not before the\n"
     "start. The manager is another person of the organization, without cycles; an\n"
     "empty value (--manager '') clears manager, start or end. --active lists people\n"
     "employed today. 'remove' refuses while the person owns controls, risks or\n"
     "policies, manages someone, or approved or acknowledged a policy: set --end\n"
     "instead. --if-version N refuses the edit when someone changed the person since\n"
     "version N (see 'person show'), naming who and when.\n"},
    {"vendor", cmd_vendor, CLI_NEEDS_ORG | CLI_WRITES, "vendors: list, show, add, edit, remove",
     "usage: tillit vendor list [--criticality C] [--format table|json|csv]\n"
     "       tillit vendor show SLUG [--format table|json]\n"
     "       tillit vendor add SLUG --name NAME [--service TEXT] [--criticality C]\n"
     "                         [--data-shared TEXT] [--soc-report yes|no]\n"
     "                         [--soc-period-end DATE] [--subservice SLUG]\n"
     "       tillit vendor edit SLUG [--slug NEW] [--name ...] [same options]\n"
     "                         [--if-version N]\n"
     "       tillit vendor remove SLUG\n"
     "\n"
     "C is low, medium (the default), high or critical. A SOC report on file needs\n"
     "its period end (DATE, YYYY-MM-DD, not in the future); --soc-report no clears\n"
     "it. soc_status is none, current, or stale when the period ended more than 12\n"
     "months ago. --subservice links a subservice organization of the scope (see\n"
     "'tillit scope'); --subservice '' unlinks it. --if-version N refuses the edit\n"
     "when someone changed the vendor since version N (see 'vendor show').\n"},
    {"control", cmd_control, CLI_NEEDS_ORG | CLI_WRITES, "controls: list, show, add, edit, map, adopt, library",
     "usage: tillit control library [--family F] [--criterion ID] [--format table|json|csv]\n"
     "       tillit control adopt CODE...|--all [--owner EMAIL] [--status STATUS]\n"
     "       tillit control list [--status S] [--criterion ID] [--owner EMAIL] [--family F]\n"
     "                           [--format table|json|csv]\n"
     "       tillit control show CODE [--format table|json]\n"
     "       tillit control add CODE --title TEXT [--description TEXT] [--owner EMAIL]\n"
     "                          [--frequency F] [--nature N] [--type T] [--key]\n"
     "                          [--status S] [--evidence 'ITEM|ITEM...']\n"
     "       tillit control edit CODE [same options as add] [--no-key] [--if-version N]\n"
     "       tillit control map CODE CRITERION [--pof PF,PF...]\n"
     "       tillit control map CODE --unmap CRITERION\n"
     "       tillit control remove CODE\n"
     "\n"
     "'adopt' copies library controls into the organization's program, in the\n"
     "organization's language; codes already adopted are skipped, and an unknown\n"
     "code stops it before anything is written. 'add' defaults to frequency annual,\n"
     "nature preventive, type manual, status not-started.\n"
     "A wrong frequency, nature, type or status is refused with the list of allowed\n"
     "values. Points of focus must belong to the criterion (see 'tillit catalog show\n"
     "CRITERION'). --owner \"\" removes the owner. --if-version N refuses the edit\n"
     "when someone changed the control since version N (see 'control show'), naming\n"
     "who and when. See docs/cli-control.md.\n"},
    {"risk", cmd_risk, CLI_NEEDS_ORG | CLI_WRITES, "risks: list, show, add, edit, link, remove, matrix",
     "usage: tillit risk list [--fraud] [--treatment T] [--format table|json|csv]\n"
     "       tillit risk show CODE [--format table|json]\n"
     "       tillit risk add CODE --title TEXT --likelihood N --impact N --treatment T\n"
     "                       [--description TEXT] [--category TEXT]\n"
     "                       [--residual-likelihood N --residual-impact N] [--fraud]\n"
     "                       [--owner EMAIL] [--next-review DATE] [--control CODE,CODE...]\n"
     "       tillit risk edit CODE [same options as add] [--no-residual] [--no-fraud]\n"
     "                       [--if-version N]\n"
     "       tillit risk link CODE --control CODE[,CODE...] | --unlink CODE[,CODE...]\n"
     "       tillit risk remove CODE\n"
     "       tillit risk matrix [--format table|json]\n"
     "\n"
     "Likelihood and impact are 1 to 5; the inherent score is their product, banded\n"
     "low (1-4), medium (5-9), high (10-16), critical (17-25). T is one of mitigate,\n"
     "accept, transfer, avoid. A mitigated risk needs at least one linked control,\n"
     "and the residual score may not exceed the inherent one. 'edit --control'\n"
     "replaces the linked controls; '--owner \"\"' unassigns. --if-version N refuses\n"
     "the edit when the risk changed since version N. See docs/cli-risk.md.\n"},
    {"policy", cmd_policy, CLI_NEEDS_ORG | CLI_WRITES, "policies: templates, list, show, new, edit, approve, ack, acks, remove",
     "usage: tillit policy templates [--format table|json|csv]\n"
     "       tillit policy new SLUG --template NAME [--title TEXT] [--owner EMAIL]\n"
     "                             [--review annual|semi-annual|quarterly]\n"
     "       tillit policy new SLUG --title TEXT --file BODY.md [--owner EMAIL] [--review R]\n"
     "       tillit policy list [--format table|json|csv]\n"
     "       tillit policy show SLUG [--version N] [--rendered] [--format table|json]\n"
     "       tillit policy edit SLUG [--file BODY.md] [--title TEXT] [--owner EMAIL]\n"
     "                              [--review R] [--if-version N]\n"
     "       tillit policy approve SLUG --by EMAIL [--version N] [--on DATE]\n"
     "       tillit policy ack SLUG --person EMAIL[,EMAIL...] [--version N] [--on DATE]\n"
     "       tillit policy acks SLUG [--version N] [--format table|json|csv]\n"
     "       tillit policy remove SLUG\n"
     "\n"
     "Every change of text is a new version; approval and acknowledgments belong to\n"
     "a version (default: the latest). Templates are written in the organization's\n"
     "language; {{org.name}} and {{org.legal_name}} are filled in when the text is\n"
     "stored, {{policy.owner}}, {{policy.version}}, {{policy.effective_date}} and\n"
     "{{policy.review}} when it is shown with --rendered. --file - reads standard\n"
     "input. --if-version N refuses an edit when someone changed the policy since\n"
     "its edit count N (edits in 'policy show --format json'), naming who and when.\n"
     "See docs/cli-policy.md.\n"},
    {"scope", cmd_scope, CLI_NEEDS_ORG | CLI_WRITES, "the system in scope: services, components, categories, subservice orgs, CUECs",
     "usage: tillit scope show [--format table|json]\n"
     "       tillit scope set [--name TEXT] [--boundaries TEXT] [--commitments TEXT]\n"
     "                        [--if-version N]\n"
     "       tillit scope category CATEGORY --in | --out --reason TEXT\n"
     "       tillit scope category list [--format table|json|csv]\n"
     "       tillit scope service add NAME [--description TEXT]\n"
     "       tillit scope service edit NAME [--name NEW-NAME] [--description TEXT]\n"
     "                                [--if-version N]\n"
     "       tillit scope service remove NAME\n"
     "       tillit scope service list [--format table|json|csv]\n"
     "       tillit scope component add KIND NAME [--description TEXT] [--out --reason TEXT]\n"
     "       tillit scope component edit KIND NAME [--in | --out --reason TEXT]\n"
     "                                             [--description TEXT]\n"
     "                                             [--if-version N]\n"
     "       tillit scope component remove KIND NAME\n"
     "       tillit scope component list [--kind KIND] [--format table|json|csv]\n"
     "       tillit scope subservice add SLUG --name NAME --method carve-out|inclusive\n"
     "                                   [--services TEXT]\n"
     "       tillit scope subservice edit SLUG [--name ...] [--method ...] [--services ...]\n"
     "                                   [--if-version N]\n"
     "       tillit scope subservice remove SLUG\n"
     "       tillit scope subservice list [--format table|json|csv]\n"
     "       tillit scope csoc add SUBSERVICE --text TEXT [--criteria ID,...]\n"
     "       tillit scope csoc edit ID [--text TEXT] [--criteria ID,...]\n"
     "                             [--if-version N]\n"
     "       tillit scope csoc remove ID\n"
     "       tillit scope csoc list [SUBSERVICE] [--format table|json|csv]\n"
     "       tillit scope cuec add CODE --text TEXT [--criteria ID,...]\n"
     "       tillit scope cuec edit CODE [--text TEXT] [--criteria ID,...]\n"
     "                               [--if-version N]\n"
     "       tillit scope cuec remove CODE\n"
     "       tillit scope cuec list [--format table|json|csv]\n"
     "\n"
     "The system the report describes (DC 200). CATEGORY is security, availability,\n"
     "processing-integrity, confidentiality or privacy: security is always in scope,\n"
     "and any other left out needs a reason. KIND is infrastructure, software, people,\n"
     "procedures or data. A subservice organization is carved out (the report relies on\n"
     "its own SOC report and on the CSOCs expected of it) or included. Criteria are\n"
     "catalog ids (see 'tillit catalog criteria'). A CSOC has only an id: give it, or\n"
     "its first characters, as shown by 'scope csoc list'. Every record has a version\n"
     "(the lists and 'scope show' give it; each edit adds one): --if-version N refuses\n"
     "an edit, naming who changed the record and when, unless its version is still N.\n"},
    {"gap", cmd_gap, CLI_NEEDS_ORG | CLI_WRITES,
     "gap analysis: criteria and points of focus against your controls",
     "usage: tillit gap [--state STATE] [--suggest] [--format table|json|csv|md|html]\n"
     "       tillit gap na ID --reason TEXT\n"
     "       tillit gap applicable ID\n"
     "\n"
     "Lists every criterion of the categories in scope with its state (none, designed,\n"
     "implemented, operating-unverified, operating, not-applicable), its score, the\n"
     "points of focus covered and the controls mapped. --suggest ranks library controls\n"
     "by how much of the gap each would close. 'na' marks a criterion or point of focus\n"
     "not applicable (a written reason is required); 'applicable' withdraws that.\n"
     "The formula is in docs/readiness.md.\n"},
    {"readiness", cmd_readiness, CLI_NEEDS_ORG,
     "readiness score overall, per category, COSO component and series",
     "usage: tillit readiness [--format table|json|csv|md|html]\n"
     "\n"
     "html is a self-contained page (inline SVG charts) to send to a client.\n"},
    {"plan", cmd_plan, CLI_NEEDS_ORG | CLI_WRITES,
     "the project plan: phases, tasks, owners, due dates, iCalendar",
     "usage: tillit plan --start DATE --target type1|type2 [--days-per-week N]\n"
     "                   [--observation-months N] [--format table|json|csv|ics]\n"
     "       tillit plan show [--format table|json|csv|ics]\n"
     "       tillit plan status\n"
     "       tillit plan task CODE [--status todo|doing|done] [--done-on DATE] [--owner EMAIL]\n"
     "                        [--if-version N]\n"
     "\n"
     "Lays out the road: scope, gap analysis, interviews and control matrix, control\n"
     "framework and system description, report draft (7 staff days: 6-8 weeks at one\n"
     "day a week), pre-audit walkthrough, remediation (2-4 weeks), then a Type I audit\n"
     "or a Type II observation window (default 6 months; 3-12 allowed, under 6 with a\n"
     "warning), fieldwork and the report. A task not done by its due date is late and\n"
     "moves what depends on it. --format ics writes an iCalendar file.\n"
     "A task's version ('plan show' gives it) counts its edits: 'plan task\n"
     "--if-version N' refuses the edit, naming who changed the task and when,\n"
     "unless its version is still N.\n"},
    {"evidence", cmd_evidence, 0,
     "evidence: add, list, show, supersede, verify, due, coverage, export, verify-package",
     "usage: tillit evidence add FILE... --control CODE[,CODE] [--period START..END]\n"
     "                          [--source TEXT] [--note TEXT]\n"
     "       tillit evidence list [--control CODE] [--all] [--format table|json|csv]\n"
     "       tillit evidence show ID [--format table|json]\n"
     "       tillit evidence supersede ID FILE [--period START..END] [--source TEXT]\n"
     "                                [--note TEXT]\n"
     "       tillit evidence verify\n"
     "       tillit evidence due [--format table|json|csv]\n"
     "       tillit evidence coverage --period START..END [--format table|json|csv]\n"
     "       tillit evidence export --control CODE|--all -o FILE.zip\n"
     "       tillit evidence verify-package FILE.zip [--key HEX]\n"
     "\n"
     "Files are kept by SHA-256 in the vault ($TILLIT_VAULT, else the database path +\n"
     "\".vault\"), at most $TILLIT_EVIDENCE_MAX_BYTES each (default 100 MiB). --period\n"
     "is the time the evidence covers (one date = a point in time; default today).\n"
     "Evidence is never edited: 'supersede' replaces an item with a new one.\n"
     "'verify' rehashes every file: exit 1 lists missing or changed ones. 'due' lists\n"
     "controls whose evidence is missing or stale for their frequency, by owner.\n"
     "'coverage' checks the evidence of each control against an observation window.\n"
     "'export' writes a zip signed with the organization's Ed25519 key;\n"
     "'verify-package' checks one without a database. See docs/cli-evidence.md.\n"},
    {"data", cmd_data, CLI_NEEDS_ORG | CLI_WRITES,
     "datasets: load exports for checks (CSV, JSON, git, GitHub, AWS), list, show",
     "usage: tillit data load NAME FILE --kind KIND [--column NAME:TYPE ...]\n"
     "       tillit data list [--format table|json|csv]\n"
     "       tillit data show NAME [--table TABLE] [--limit N] [--format table|json|csv]\n"
     "\n"
     "KIND is csv, jsonl, json, aws-iam-credential-report, git (a repository's\n"
     "history) or github-pulls (pull requests with their reviews, as GitHub's REST API\n"
     "returns them). Loading streams the file into the organization's analysis\n"
     "database ($TILLIT_DATA_DIR, else the database path + \".data\"), infers column\n"
     "types (integer, real, boolean, date, datetime, text) over all rows unless\n"
     "--column declares one, and records the file's SHA-256, rows and columns. A\n"
     "load is one transaction: bad input (with file:line) changes nothing. Loading a\n"
     "name again replaces it. See docs/cli-data.md.\n"},
    {"check", cmd_check, 0, "automated checks over datasets: list, show, run",
     "usage: tillit check list [--format table|json|csv]\n"
     "       tillit check show ID [--format table|json]\n"
     "       tillit check run ID|--all [--as-of DATE] [--period START..END]\n"
     "                        [--format table|json] [--limit N]\n"
     "\n"
     "A check is SQL over datasets that returns the exceptions to a control\n"
     "(content/checks/). 'run' prints each check's population, exceptions and\n"
     "result, records the run and, for controls in the program, adds it as evidence.\n"
     "The period defaults to the 12 months ending on the as-of date (today). A check\n"
     "whose datasets are not loaded is skipped. Exit 1 when any check fails. See\n"
     "docs/checks.md.\n"},
    {"engagement", cmd_engagement, CLI_NEEDS_ORG | CLI_WRITES,
     "engagements: readiness, Type I, Type II; phases, auditors, bridge letter",
     "usage: tillit engagement create --kind readiness|type1|type2 [--as-of DATE]\n"
     "                                [--period START..END] [--categories C,C...]\n"
     "                                [--firm NAME] [--slug SLUG] [--no-itgc-reliance]\n"
     "       tillit engagement list [--format table|json|csv]\n"
     "       tillit engagement show SLUG [--format table|json]\n"
     "       tillit engagement phase SLUG planning|fieldwork|reporting|concluded\n"
     "       tillit engagement scope SLUG [--format table|json|csv]\n"
     "       tillit engagement evidence SLUG [--format table|json|csv]\n"
     "       tillit engagement sampling-table SLUG [--file TABLE.yaml | --default]\n"
     "       tillit engagement auditor add SLUG EMAIL --until DATE\n"
     "       tillit engagement auditor revoke SLUG EMAIL\n"
     "       tillit engagement auditor list SLUG [--format table|json|csv]\n"
     "       tillit engagement bridge-letter [SLUG] --to DATE [--lang en|sv]\n"
     "       tillit engagement demo\n"
     "\n"
     "Readiness and Type I engagements have an as-of date; a Type II a period of 3 to\n"
     "12 months (under 6 with a warning). Categories default to those in scope. A\n"
     "concluded engagement is read-only. $TILLIT_ROLE (default admin) and\n"
     "$TILLIT_ACTOR (an auditor's email) say who acts. See docs/cli-engagement.md.\n"},
    {"test", cmd_test, CLI_NEEDS_ORG | CLI_WRITES,
     "tests of controls: plan, population, results, conclusion",
     "usage: tillit test plan ENGAGEMENT\n"
     "       tillit test list ENGAGEMENT [--format table|json|csv]\n"
     "       tillit test show TEST [--format table|json]\n"
     "       tillit test edit TEST [--method M] [--steps 'STEP|STEP...' | --steps-file F]\n"
     "       tillit test population TEST [--file FILE | --dataset NAME] [--column C]\n"
     "                                   [--date-column D]\n"
     "       tillit test result TEST [ITEM] --pass [--note TEXT] | --exception TEXT\n"
     "                                     [--evidence ID,...]\n"
     "       tillit test results TEST [--format table|json|csv]\n"
     "       tillit test conclude TEST\n"
     "\n"
     "TEST is ENGAGEMENT:CONTROL[:design|:operating|:retestN]. A population is a list\n"
     "(one id per line), a CSV/XLSX table with an id column, or a dataset ('tillit\n"
     "data'); --date-column keeps the rows dated within the period. A concluded test\n"
     "never changes. The conclusion rule is in docs/sampling.md.\n"},
    {"sample", cmd_sample, CLI_NEEDS_ORG | CLI_WRITES,
     "reproducible samples: draw with a seed, verify",
     "usage: tillit sample draw TEST --seed N [--size K] [--format table|json|csv]\n"
     "       tillit sample verify TEST [--file POPULATION | --dataset NAME] [--column C]\n"
     "                                 [--date-column D]\n"
     "       tillit sample show TEST [--format table|json|csv]\n"
     "\n"
     "The selection is ChaCha20 keyed by SHA-256 of the seed, so the same population\n"
     "and seed give the same sample anywhere (docs/sampling.md). 'verify' recomputes\n"
     "the population hash and the selection: exit 1 names what differs.\n"},
    {"finding", cmd_finding, CLI_NEEDS_ORG | CLI_WRITES, "findings raised from exceptions",
     "usage: tillit finding list [ENGAGEMENT] [--format table|json|csv]\n"
     "       tillit finding show CODE [--format table|json]\n"
     "       tillit finding add TEST --title TEXT --severity low|medium|high\n"
     "                          [--description TEXT] [--items ITEM,...]\n"
     "       tillit finding edit CODE [--title T] [--description T] [--severity S]\n"
     "                           [--root-cause T] [--response T] [--status S]\n"
     "\n"
     "Concluding a test with exceptions raises a finding. The auditor writes title,\n"
     "severity and root cause; management writes the response.\n"},
    {"remediation", cmd_remediation, CLI_NEEDS_ORG | CLI_WRITES,
     "remediation of findings, and retests",
     "usage: tillit remediation list [--finding CODE] [--format table|json|csv]\n"
     "       tillit remediation add FINDING --action TEXT [--owner EMAIL] [--due DATE]\n"
     "       tillit remediation edit CODE [--action T] [--owner EMAIL] [--due DATE]\n"
     "                                    [--status open|in-progress|done]\n"
     "       tillit remediation retest CODE [--engagement SLUG]\n"},
    {"pbc", cmd_pbc, CLI_NEEDS_ORG | CLI_WRITES,
     "the auditor's request list: add, list, status, attach, comment, export, import",
     "usage: tillit pbc add ENGAGEMENT --request TEXT [--control CODE] [--owner EMAIL]\n"
     "                                [--due DATE] [--ref REF]\n"
     "       tillit pbc list ENGAGEMENT [--status S] [--owner EMAIL] [--format F]\n"
     "       tillit pbc show ENGAGEMENT:REF [--format table|json]\n"
     "       tillit pbc edit ENGAGEMENT:REF [--request T] [--control C] [--owner E]\n"
     "                                      [--due DATE]\n"
     "       tillit pbc status ENGAGEMENT:REF open|submitted|accepted|returned\n"
     "       tillit pbc attach ENGAGEMENT:REF --evidence ID[,ID...]\n"
     "       tillit pbc comment ENGAGEMENT:REF --text TEXT\n"
     "       tillit pbc export ENGAGEMENT -o FILE.csv|FILE.xlsx\n"
     "       tillit pbc import ENGAGEMENT FILE.csv|FILE.xlsx\n"
     "\n"
     "A request naming a control goes to the control's owner. Exported lists import\n"
     "back unchanged; see docs/cli-engagement.md for the columns.\n"},
    {"demo", cmd_demo, 0,
     "create the demo organization (a Swedish SaaS company), or its exports",
     "usage: tillit demo [--slug SLUG]\n"
     "       tillit demo data [--dir DIR] [--seed S] [--rows N] [--as-of DATE] [--load]\n"
     "\n"
     "'demo data' writes the demo organization's exports for the check pack (HR, IdP,\n"
     "AWS, GitHub, git, backups, vulnerabilities, ...) with a few planted exceptions\n"
     "listed in DIR/manifest.json; the same seed gives the same bytes. --rows scales\n"
     "the large exports; --load loads them all as datasets. See docs/checks.md.\n"
     "\n"
     "Creates Norrsken Analytics AB, a Swedish SaaS company hosted on AWS (carve-out):\n"
     "scope, 50 people, 100 adopted controls in varied states, 22 risks (4 of them\n"
     "fraud risks), 12 policies with approvals and acknowledgments, 10 vendors and\n"
     "three not-applicable decisions. Deterministic; --slug gives another copy.\n"},
    {"export", cmd_export, CLI_NEEDS_DB, "write the program as a tree of YAML files",
     "usage: tillit export yaml DIR [--org SLUG] [--force]\n"
     "\n"
     "Writes the whole program of the organization (people, scope, controls, risks,\n"
     "policies with their texts, vendors, not-applicable decisions) under DIR, one\n"
     "file per record, named by its key, in a stable order and without timestamps:\n"
     "keep it in git and review changes as diffs. DIR must be empty or missing;\n"
     "--force replaces the tree in it (only files a tree is made of are deleted).\n"
     "See docs/yaml.md.\n"},
    {"import", cmd_import, CLI_NEEDS_DB | CLI_WRITES,
     "make an organization look like a tree of YAML files",
     "usage: tillit import yaml DIR [--dry-run]\n"
     "\n"
     "Reads a tree written by 'tillit export yaml' (and edited), checks every file,\n"
     "and makes the organization named in DIR/organization.yaml look exactly like it\n"
     "(creating it if needed): records are created, updated or deleted by key.\n"
     "Prints the plan ('create control IAM-01', 'update risk R-03: likelihood') and\n"
     "applies it in one transaction, every change audited. --dry-run only prints it.\n"
     "Mistakes are listed as FILE:LINE:COL: message (up to 50); then nothing changes\n"
     "(exit 2). See docs/yaml.md.\n"},
    {"catalog", cmd_catalog, 0, "browse the criteria: frameworks, criteria, show ID",
     "usage: tillit catalog frameworks [--format table|json|csv]\n"
     "       tillit catalog criteria [--framework ID] [--category CATEGORY]\n"
     "                               [--format table|json|csv]\n"
     "       tillit catalog show ID [--format table|json]\n"
     "\n"
     "CATEGORY is one of security, availability, processing-integrity,\n"
     "confidentiality, privacy. ID is a criterion (CC6.1), a point of focus\n"
     "(CC6.1-PF03) or a COSO principle (coso-2013:8).\n"},
    {"audit", cmd_audit, CLI_NEEDS_DB, "the tamper-evident audit log: log, verify",
     "usage: tillit audit log [--chain ORG|installation] [--limit N] [--format table|json|csv]\n"
     "       tillit audit verify\n"
     "\n"
     "'verify' recomputes every hash chain: exit 0 and \"N entries verified\", or\n"
     "exit 1 naming the first entry that does not match.\n"},
    {"serve", cmd_serve, 0, "the web pages and the JSON API",
     "usage: tillit serve [--listen HOST:PORT] [--threads N] [--max-seconds N]\n"
     "                    [--tls-proxy] [--quiet]\n"
     "\n"
     "Serves the web interface and /api/v1 on HOST:PORT (default 127.0.0.1:8080;\n"
     "port 0 picks a free one). Creates or upgrades the database first. Stops\n"
     "cleanly on SIGINT or SIGTERM, or after --max-seconds. --threads sets the\n"
     "worker threads and database connections (default 4). --tls-proxy: behind a\n"
     "proxy that terminates TLS: cookies get the Secure flag and the client address\n"
     "is taken from X-Forwarded-For. See docs/web.md.\n"},
    {"user", cmd_user, CLI_NEEDS_DB | CLI_WRITES, "accounts: add, list, grant, revoke, token, passwd",
     "usage: tillit user add EMAIL [--role ROLE] [--org SLUG] [--name NAME] [--password-stdin]\n"
     "       tillit user list [--format table|json|csv]\n"
     "       tillit user grant EMAIL --org SLUG --role ROLE\n"
     "       tillit user revoke EMAIL --org SLUG\n"
     "       tillit user token EMAIL [--name NAME]\n"
     "       tillit user passwd EMAIL --password-stdin\n"
     "\n"
     "ROLE is one of admin, editor, contributor, auditor, viewer; roles are per\n"
     "organization. 'add' without --password-stdin generates a password and prints\n"
     "it once. 'token' prints a new API token (Authorization: Bearer ...) once; only\n"
     "its hash is stored.\n"},
    {"backup", cmd_backup, CLI_NEEDS_DB, "copy the whole installation to a file while it runs",
     "usage: tillit backup -o FILE\n"
     "\n"
     "SQLite: FILE is a copy of the database made with SQLite's online backup API.\n"
     "PostgreSQL: FILE is a logical dump of Tillit's tables (JSON lines), taken as the\n"
     "owner of the tables. Evidence files go to FILE.vault. FILE must not exist.\n"
     "Restore with 'tillit restore FILE'. See docs/postgres.md.\n"},
    {"restore", cmd_restore, 0, "restore a backup into a new database",
     "usage: tillit restore FILE [--vault DIR]\n"
     "\n"
     "Copies a backup (either kind, into either backend) into the database of --db or\n"
     "$TILLIT_DB, which must hold no tables yet: a new file, or an empty PostgreSQL\n"
     "database. One transaction: on failure the target stays empty. Evidence files\n"
     "from FILE.vault go to --vault DIR, else the target's vault ($TILLIT_VAULT, or\n"
     "the database path + \".vault\"). Ends with an audit entry 'restore'.\n"},
    {"migrate", cmd_migrate, CLI_NEEDS_DB, "copy this installation into another database",
     "usage: tillit migrate --to URL [--vault DIR]\n"
     "\n"
     "Copies every table of the database (--db or $TILLIT_DB) into the empty database\n"
     "at URL, typically SQLite to PostgreSQL (postgres://user@host/db), in one\n"
     "transaction. The source is only read. Evidence files go to --vault DIR, else\n"
     "the target's vault ($TILLIT_VAULT). Ends with an audit entry 'migrate-to' in\n"
     "the target. See docs/postgres.md.\n"},
    {"report", cmd_report, CLI_NEEDS_ORG,
     "reports: the SOC 2 report draft, registers, OSCAL exports",
     "usage: tillit report soc2 [--engagement SLUG] [--samples] --format pdf|docx|html|md\n"
     "                          [--lang en|sv] [-o FILE]\n"
     "       tillit report readiness|risks|controls --format pdf|docx|xlsx|html|md [-o FILE]\n"
     "       tillit report workpapers [--engagement SLUG] --format pdf|docx|xlsx|html|md\n"
     "                                [-o FILE]\n"
     "       tillit report pbc --engagement SLUG --format xlsx|csv [-o FILE]\n"
     "       tillit report oscal catalog [--framework SLUG] [-o FILE]\n"
     "       tillit report oscal ssp|assessment-results|poam [--engagement SLUG] [-o FILE]\n"
     "\n"
     "The SOC 2 report has its five sections: a placeholder for the auditor's report,\n"
     "management's assertion (Type I or II), the system description DC1-DC9, the\n"
     "criteria with their controls and, for Type II, tests and results, and other\n"
     "information. It uses the engagement given, or the Type I/II one created last; one\n"
     "not concluded gives a draft marked DRAFT on every page with its open items.\n"
     "--samples adds every sample item. The PBC list is the engagement's requests in the\n"
     "columns 'tillit pbc import' reads. OSCAL files are JSON (OSCAL 1.2.1). Without -o,\n"
     "text goes to standard output. See docs/cli-report.md.\n"},
    {"framework", cmd_framework, CLI_NEEDS_ORG | CLI_WRITES,
     "other frameworks from OSCAL catalogs: import, list, show, map, remove",
     "usage: tillit framework import FILE.json [--slug SLUG]\n"
     "       tillit framework list [--format table|json|csv]\n"
     "       tillit framework show SLUG [--format table|json|csv]\n"
     "       tillit framework map [SLUG:]CONTROL CRITERION [--unmap]\n"
     "       tillit framework remove SLUG\n"
     "\n"
     "Imports an OSCAL catalog (e.g. NIST SP 800-53) as a framework of the organization\n"
     "and maps its controls to the trust services criteria. A file that is not JSON, or\n"
     "not a catalog, is refused with the JSON path of the problem; nothing is imported.\n"
     "'tillit report oscal catalog --framework SLUG' exports it again.\n"},
    {"help", cmd_help, 0, "show help for a command, or 'help exit-codes'",
     "usage: tillit help [COMMAND | exit-codes]\n"},
    {"version", cmd_version, 0, "print the version", "usage: tillit version\n"},
    {NULL, NULL, 0, NULL, NULL},
};

int cli_exit_for(int code)
{
    switch (code) {
    case TL_OK:
        return EXIT_OK;
    case TL_ECHECK:
        return EXIT_CHECK;
    case TL_EUSAGE:
    case TL_EINPUT:
    case TL_ENOTFOUND:
    case TL_EEXIST:
    case TL_ECONFLICT:
    case TL_EPERM:
    case TL_ETOOBIG:
    case TL_EUNSUPPORTED:
        return EXIT_USAGE;
    default:
        return EXIT_SYSTEM;
    }
}

static const struct cli_command *find_command(const char *name)
{
    for (const struct cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

static void print_error(FILE *errf, const struct err *e)
{
    if (e->where[0])
        fprintf(errf, "tillit: %s: %s\n", e->where, e->msg);
    else
        fprintf(errf, "tillit: %s\n", e->msg);
}

/* Global options come before the command: --db, --org, --content, --lang. */
static int parse_globals(int *argc, const char ***argv, struct cli_ctx *ctx)
{
    while (*argc > 0 && (*argv)[0][0] == '-') {
        const char *a = (*argv)[0];
        const char **slot = NULL;
        if (strcmp(a, "--db") == 0)
            slot = &ctx->db_url;
        else if (strcmp(a, "--org") == 0)
            slot = &ctx->org_slug;
        else if (strcmp(a, "--content") == 0)
            slot = &ctx->app.content_dir;
        else if (strcmp(a, "--lang") == 0)
            slot = &ctx->lang;
        else if (strcmp(a, "--version") == 0 || strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            return 0;
        else
            return ERR_SET(&ctx->e, TL_EUSAGE, "unknown option '%s' (see 'tillit help')", a);
        if (*argc < 2)
            return ERR_SET(&ctx->e, TL_EUSAGE, "option '%s' needs a value", a);
        *slot = (*argv)[1];
        *argc -= 2;
        *argv += 2;
    }
    if (strcmp(ctx->lang, "en") != 0 && strcmp(ctx->lang, "sv") != 0)
        return ERR_SET(&ctx->e, TL_EUSAGE, "unknown language '%s' (expected en or sv)", ctx->lang);
    return 0;
}

/* Pulls per-command copies of the global options out of argv, so that
 * "tillit catalog criteria --db x" works as well as "tillit --db x catalog". */
static int pull_globals(int *argc, const char **argv, struct cli_ctx *ctx)
{
    int out = 0;
    for (int i = 0; i < *argc; i++) {
        const char **slot = NULL;
        if (strcmp(argv[i], "--db") == 0)
            slot = &ctx->db_url;
        else if (strcmp(argv[i], "--org") == 0)
            slot = &ctx->org_slug;
        else if (strcmp(argv[i], "--lang") == 0)
            slot = &ctx->lang;
        if (slot) {
            if (i + 1 >= *argc)
                return ERR_SET(&ctx->e, TL_EUSAGE, "option '%s' needs a value", argv[i]);
            *slot = argv[++i];
            continue;
        }
        argv[out++] = argv[i];
    }
    *argc = out;
    if (strcmp(ctx->lang, "en") != 0 && strcmp(ctx->lang, "sv") != 0)
        return ERR_SET(&ctx->e, TL_EUSAGE, "unknown language '%s' (expected en or sv)", ctx->lang);
    return 0;
}

static void set_actor(struct cli_ctx *ctx)
{
    const char *who = getenv("TILLIT_ACTOR");
    if (who && *who) {
        snprintf(ctx->app.actor, sizeof(ctx->app.actor), "%s", who);
        return;
    }
    const char *user = getenv("USER");
    snprintf(ctx->app.actor, sizeof(ctx->app.actor), "cli:%s", user && *user ? user : "unknown");
}

static int set_now(struct cli_ctx *ctx)
{
    const char *pinned = getenv("TILLIT_NOW");
    if (pinned && *pinned) {
        int rc = time_parse(pinned, &ctx->app.now, &ctx->e);
        return rc ? err_wrap(&ctx->e, "TILLIT_NOW") : 0;
    }
    ctx->app.now = time_now();
    return 0;
}

static int run_command(const struct cli_command *cmd, int argc, const char **argv,
                       struct cli_ctx *ctx)
{
    if (pull_globals(&argc, argv, ctx) != 0)
        return EXIT_USAGE;
    unsigned flags = cmd->flags;
    if (flags & CLI_NEEDS_ORG)
        flags |= CLI_NEEDS_DB;
    if (flags & CLI_NEEDS_DB) {
        int rc = app_open_db(&ctx->app, ctx->db_url, !(flags & CLI_WRITES), &ctx->e);
        if (rc)
            return cli_exit_for(rc);
    }
    if (flags & CLI_NEEDS_ORG) {
        int rc = app_org_resolve(&ctx->app, &ctx->arena, ctx->org_slug, &ctx->org, &ctx->e);
        if (rc == 0)
            rc = store_set_tenant(ctx->app.store, ctx->org.id, &ctx->e);
        if (rc)
            return cli_exit_for(rc);
    }
    return cmd->fn(argc, argv, ctx);
}

int cli_main(int argc, const char **argv, FILE *out, FILE *errf)
{
    struct cli_ctx ctx = {.out = out, .lang = "en"};
    app_init(&ctx.app);
    const char *env_db = getenv("TILLIT_DB");
    ctx.db_url = env_db && *env_db ? env_db : "tillit.db";
    ctx.org_slug = getenv("TILLIT_ORG");
    set_actor(&ctx);
    argc--;
    argv++;
    int code = EXIT_USAGE;
    if (crypto_init(&ctx.e) != 0 || set_now(&ctx) != 0) {
        code = cli_exit_for(ctx.e.code);
    } else if (parse_globals(&argc, &argv, &ctx) != 0) {
        code = EXIT_USAGE;
    } else if (argc == 0 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        ctx.command = "help";
        code = cmd_help(0, NULL, &ctx);
    } else if (strcmp(argv[0], "--version") == 0) {
        ctx.command = "version";
        code = cmd_version(0, NULL, &ctx);
    } else {
        const struct cli_command *cmd = find_command(argv[0]);
        if (!cmd) {
            ERR_SET(&ctx.e, TL_EUSAGE, "unknown command '%s' (see 'tillit help')", argv[0]);
        } else {
            ctx.command = cmd->name;
            code = run_command(cmd, argc - 1, argv + 1, &ctx);
        }
    }
    if (code != EXIT_OK && ctx.e.msg[0])
        print_error(errf, &ctx.e);
    app_release(&ctx.app);
    arena_release(&ctx.arena);
    return code;
}
