/* router.c - the route table and the request pipeline: language,
 * authentication, routing, CSRF, authorization, handler, errors, headers.
 *
 * The order matters.  Authentication comes first so that a 404 for an
 * unknown page and a 404 for another organization's page look the same;
 * CSRF is checked before authorization so that a forged request learns
 * nothing; authorization (app_authz) runs before any handler touches the
 * organization, so a handler never sees an organization its user may not.
 */
#include "web/web_impl.h"

#include "app/engagement.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* clang-format off */
/* Order matters where patterns overlap: a fixed segment ("new", "adopt",
 * "due") comes before the {param} it would otherwise match. */
#define O WEB_ORG
#define A (WEB_API | WEB_ORG)
const struct web_route web__routes[] = {
    {"GET", "/", web__home, 0, APP_READ},
    {"GET", "/healthz", web__health, WEB_PUBLIC, APP_READ},
    {"GET", "/static/*", web__static, WEB_PUBLIC, APP_READ},
    {"GET", "/login", web__login_form, WEB_PUBLIC, APP_READ},
    {"POST", "/login", web__login, WEB_PUBLIC, APP_READ},
    {"POST", "/logout", web__logout, 0, APP_READ},
    {"GET", "/orgs", web__orgs_page, 0, APP_READ},
    /* pages */
    {"GET", "/o/{org}", web__dashboard, O, APP_READ},
    {"GET", "/o/{org}/search", web__search_page, O, APP_READ},
    {"GET", "/o/{org}/gap", web__gap_page, O, APP_READ},
    {"GET", "/o/{org}/gap/na", web__gap_na_form, O, APP_EDIT},
    {"POST", "/o/{org}/gap/na", web__gap_na, O, APP_EDIT},
    {"POST", "/o/{org}/gap/applicable", web__gap_applicable, O, APP_EDIT},
    {"GET", "/o/{org}/readiness", web__readiness_page, O, APP_READ},
    {"GET", "/o/{org}/criteria", web__criteria_page, O, APP_READ},
    {"GET", "/o/{org}/criteria/{id}", web__criterion_page, O, APP_READ},
    {"GET", "/o/{org}/library", web__library_page, O, APP_READ},
    {"GET", "/o/{org}/controls", web__controls_page, O, APP_READ},
    {"POST", "/o/{org}/controls", web__control_create, O, APP_EDIT},
    {"GET", "/o/{org}/controls/new", web__control_new, O, APP_EDIT},
    {"POST", "/o/{org}/controls/adopt", web__control_adopt, O, APP_EDIT},
    {"GET", "/o/{org}/controls/{code}", web__control_page, O, APP_READ},
    {"POST", "/o/{org}/controls/{code}", web__control_update, O, APP_EDIT},
    {"GET", "/o/{org}/controls/{code}/edit", web__control_edit, O, APP_EDIT},
    {"GET", "/o/{org}/controls/{code}/map", web__control_map_form, O, APP_EDIT},
    {"POST", "/o/{org}/controls/{code}/map", web__control_map, O, APP_EDIT},
    {"POST", "/o/{org}/controls/{code}/unmap", web__control_unmap, O, APP_EDIT},
    {"GET", "/o/{org}/scope", web__scope_page, O, APP_READ},
    {"GET", "/o/{org}/scope/system", web__scope_system_form, O, APP_EDIT},
    {"POST", "/o/{org}/scope/system", web__scope_system_save, O, APP_EDIT},
    {"GET", "/o/{org}/scope/categories/{category}", web__scope_category_form, O, APP_EDIT},
    {"POST", "/o/{org}/scope/categories/{category}", web__scope_category_save, O, APP_EDIT},
    {"POST", "/o/{org}/scope/services", web__scope_service_create, O, APP_EDIT},
    {"GET", "/o/{org}/scope/services/new", web__scope_service_new, O, APP_EDIT},
    {"GET", "/o/{org}/scope/services/{name}", web__scope_service_edit, O, APP_EDIT},
    {"POST", "/o/{org}/scope/services/{name}", web__scope_service_update, O, APP_EDIT},
    {"POST", "/o/{org}/scope/services/{name}/delete", web__scope_service_delete, O, APP_EDIT},
    {"POST", "/o/{org}/scope/components", web__scope_component_create, O, APP_EDIT},
    {"GET", "/o/{org}/scope/components/new", web__scope_component_new, O, APP_EDIT},
    {"GET", "/o/{org}/scope/components/{kind}/{name}", web__scope_component_edit, O, APP_EDIT},
    {"POST", "/o/{org}/scope/components/{kind}/{name}", web__scope_component_update, O, APP_EDIT},
    {"POST", "/o/{org}/scope/components/{kind}/{name}/delete", web__scope_component_delete, O, APP_EDIT},
    {"POST", "/o/{org}/scope/subservices", web__scope_subservice_create, O, APP_EDIT},
    {"GET", "/o/{org}/scope/subservices/new", web__scope_subservice_new, O, APP_EDIT},
    {"GET", "/o/{org}/scope/subservices/{slug}", web__scope_subservice_edit, O, APP_EDIT},
    {"POST", "/o/{org}/scope/subservices/{slug}", web__scope_subservice_update, O, APP_EDIT},
    {"POST", "/o/{org}/scope/subservices/{slug}/delete", web__scope_subservice_delete, O, APP_EDIT},
    {"GET", "/o/{org}/scope/subservices/{slug}/csocs/new", web__scope_csoc_new, O, APP_EDIT},
    {"POST", "/o/{org}/scope/subservices/{slug}/csocs", web__scope_csoc_create, O, APP_EDIT},
    {"GET", "/o/{org}/scope/csocs/{id}", web__scope_csoc_edit, O, APP_EDIT},
    {"POST", "/o/{org}/scope/csocs/{id}", web__scope_csoc_update, O, APP_EDIT},
    {"POST", "/o/{org}/scope/csocs/{id}/delete", web__scope_csoc_delete, O, APP_EDIT},
    {"POST", "/o/{org}/scope/cuecs", web__scope_cuec_create, O, APP_EDIT},
    {"GET", "/o/{org}/scope/cuecs/new", web__scope_cuec_new, O, APP_EDIT},
    {"GET", "/o/{org}/scope/cuecs/{code}", web__scope_cuec_edit, O, APP_EDIT},
    {"POST", "/o/{org}/scope/cuecs/{code}", web__scope_cuec_update, O, APP_EDIT},
    {"POST", "/o/{org}/scope/cuecs/{code}/delete", web__scope_cuec_delete, O, APP_EDIT},
    {"GET", "/o/{org}/people", web__people_page, O, APP_READ},
    {"POST", "/o/{org}/people", web__person_create, O, APP_EDIT},
    {"GET", "/o/{org}/people/new", web__person_new, O, APP_EDIT},
    {"GET", "/o/{org}/people/{email}/edit", web__person_edit, O, APP_EDIT},
    {"POST", "/o/{org}/people/{email}", web__person_update, O, APP_EDIT},
    {"GET", "/o/{org}/vendors", web__vendors_page, O, APP_READ},
    {"POST", "/o/{org}/vendors", web__vendor_create, O, APP_EDIT},
    {"GET", "/o/{org}/vendors/new", web__vendor_new, O, APP_EDIT},
    {"GET", "/o/{org}/vendors/{slug}/edit", web__vendor_edit, O, APP_EDIT},
    {"POST", "/o/{org}/vendors/{slug}", web__vendor_update, O, APP_EDIT},
    {"GET", "/o/{org}/risks", web__risks_page, O, APP_READ},
    {"POST", "/o/{org}/risks", web__risk_create, O, APP_EDIT},
    {"GET", "/o/{org}/risks/new", web__risk_new, O, APP_EDIT},
    {"GET", "/o/{org}/risks/{code}", web__risk_page, O, APP_READ},
    {"POST", "/o/{org}/risks/{code}", web__risk_update, O, APP_EDIT},
    {"GET", "/o/{org}/risks/{code}/edit", web__risk_edit, O, APP_EDIT},
    {"POST", "/o/{org}/risks/{code}/link", web__risk_link, O, APP_EDIT},
    {"POST", "/o/{org}/risks/{code}/unlink", web__risk_unlink, O, APP_EDIT},
    {"GET", "/o/{org}/policies", web__policies_page, O, APP_READ},
    {"POST", "/o/{org}/policies", web__policy_create, O, APP_EDIT},
    {"GET", "/o/{org}/policies/new", web__policy_new, O, APP_EDIT},
    {"GET", "/o/{org}/policies/{slug}", web__policy_page, O, APP_READ},
    {"POST", "/o/{org}/policies/{slug}", web__policy_update, O, APP_EDIT},
    {"GET", "/o/{org}/policies/{slug}/edit", web__policy_edit, O, APP_EDIT},
    {"POST", "/o/{org}/policies/{slug}/approve", web__policy_approve, O, APP_EDIT},
    {"POST", "/o/{org}/policies/{slug}/ack", web__policy_ack, O, APP_READ},
    {"GET", "/o/{org}/policies/{slug}/acks", web__policy_acks_page, O, APP_READ},
    {"GET", "/o/{org}/evidence", web__evidence_page, O, APP_READ},
    {"POST", "/o/{org}/evidence", web__evidence_upload, O | WEB_UPLOAD, APP_CONTRIBUTE},
    {"GET", "/o/{org}/evidence/new", web__evidence_new, O, APP_CONTRIBUTE},
    {"GET", "/o/{org}/evidence/due", web__evidence_due_page, O, APP_READ},
    {"GET", "/o/{org}/evidence/coverage", web__evidence_coverage_page, O, APP_READ},
    {"GET", "/o/{org}/evidence/{id}", web__evidence_item_page, O, APP_READ},
    {"GET", "/o/{org}/evidence/{id}/download", web__evidence_download, O, APP_READ},
    {"GET", "/o/{org}/plan", web__plan_page, O, APP_READ},
    {"POST", "/o/{org}/plan", web__plan_create, O, APP_EDIT},
    {"GET", "/o/{org}/plan/tasks/{code}", web__plan_task_form, O, APP_EDIT},
    {"POST", "/o/{org}/plan/tasks/{code}", web__plan_task_update, O, APP_EDIT},
    {"GET", "/o/{org}/audit", web__audit_page, O, APP_READ},
    {"POST", "/o/{org}/audit/verify", web__audit_verify, O, APP_READ},
    /* pages: datasets and checks (checks.c) */
    {"GET", "/o/{org}/checks", web__checks_page, O, APP_READ},
    {"POST", "/o/{org}/checks/run", web__checks_run, O, APP_CONTRIBUTE},
    {"GET", "/o/{org}/checks/{id}", web__check_page, O, APP_READ},
    {"POST", "/o/{org}/checks/{id}/run", web__check_run, O, APP_CONTRIBUTE},
    {"GET", "/o/{org}/datasets", web__datasets_page, O, APP_READ},
    {"POST", "/o/{org}/datasets", web__dataset_upload, O | WEB_UPLOAD, APP_CONTRIBUTE},
    {"GET", "/o/{org}/datasets/new", web__dataset_new, O, APP_CONTRIBUTE},
    {"GET", "/o/{org}/datasets/{name}", web__dataset_page, O, APP_READ},
    /* pages: engagements, tests and samples (engagements.c) */
    {"GET", "/o/{org}/engagements", web__engagements_page, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements", web__engagement_create, O, APP_ENGAGE},
    {"GET", "/o/{org}/engagements/{eng}", web__engagement_page, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/phase", web__engagement_phase, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/plan", web__engagement_plan, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/auditors", web__engagement_auditor_add, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/auditors/revoke", web__engagement_auditor_revoke, O, APP_ENGAGE},
    {"GET", "/o/{org}/engagements/{eng}/bridge-letter", web__engagement_bridge, O, APP_ENGAGE},
    {"GET", "/o/{org}/engagements/{eng}/controls", web__engagement_controls_page, O, APP_ENGAGE},
    {"GET", "/o/{org}/engagements/{eng}/evidence", web__engagement_evidence_page, O, APP_ENGAGE},
    {"GET", "/o/{org}/engagements/{eng}/evidence/{id}/download", web__engagement_evidence_download, O, APP_ENGAGE},
    {"GET", "/o/{org}/engagements/{eng}/tests/{test}", web__test_page, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/tests/{test}", web__test_edit, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/tests/{test}/population", web__test_population, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/tests/{test}/draw", web__sample_draw, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/tests/{test}/results", web__test_result, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/tests/{test}/conclude", web__test_conclude, O, APP_ENGAGE},
    /* pages: findings, remediation, requests (findings.c, requests.c) */
    {"GET", "/o/{org}/engagements/{eng}/findings", web__findings_page, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/findings", web__finding_create, O, APP_ENGAGE},
    {"GET", "/o/{org}/engagements/{eng}/findings/new", web__finding_new, O, APP_ENGAGE},
    {"GET", "/o/{org}/engagements/{eng}/findings/{code}", web__finding_page, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/findings/{code}", web__finding_update, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/findings/{code}/remediation", web__remediation_create, O, APP_ENGAGE},
    {"GET", "/o/{org}/engagements/{eng}/remediation", web__remediation_page, O, APP_ENGAGE},
    {"GET", "/o/{org}/engagements/{eng}/remediation/{code}", web__remediation_edit, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/remediation/{code}", web__remediation_update, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/remediation/{code}/retest", web__remediation_retest, O, APP_ENGAGE},
    {"GET", "/o/{org}/engagements/{eng}/requests", web__requests_page, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/requests", web__request_create, O, APP_ENGAGE},
    {"GET", "/o/{org}/engagements/{eng}/requests/new", web__request_new, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/requests/import", web__requests_import, O | WEB_UPLOAD | WEB_ENG_REQUEST, APP_ENGAGE},
    {"GET", "/o/{org}/engagements/{eng}/requests/{ref}", web__request_page, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/requests/{ref}", web__request_update, O, APP_ENGAGE},
    {"GET", "/o/{org}/engagements/{eng}/requests/{ref}/edit", web__request_edit, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/requests/{ref}/status", web__request_status, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/requests/{ref}/attach", web__request_attach, O, APP_ENGAGE},
    {"POST", "/o/{org}/engagements/{eng}/requests/{ref}/comments", web__request_comment, O, APP_ENGAGE},
    /* pages: reports (reports.c) */
    {"GET", "/o/{org}/reports", web__reports_page, O, APP_READ},
    {"GET", "/o/{org}/reports/{kind}", web__report_download, O, APP_READ},
    {"GET", "/o/{org}/frameworks/{slug}", web__framework_page, O, APP_READ},
    /* the API */
    {"GET", "/api/v1/me", web__api_me, WEB_API, APP_READ},
    {"GET", "/api/v1/orgs", web__api_orgs, WEB_API, APP_READ},
    {"GET", "/api/v1/orgs/{org}", web__api_org, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/dashboard", web__api_dashboard, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/search", web__api_search, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/gap", web__api_gap, A, APP_READ},
    {"PUT", "/api/v1/orgs/{org}/gap/na/{target}", web__gap_na, A, APP_EDIT},
    {"DELETE", "/api/v1/orgs/{org}/gap/na/{target}", web__gap_applicable, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/readiness", web__api_readiness, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/criteria", web__api_criteria, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/criteria/{id}", web__api_criterion, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/library", web__api_library, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/controls", web__api_controls, A, APP_READ},
    {"POST", "/api/v1/orgs/{org}/controls", web__control_create, A, APP_EDIT},
    {"POST", "/api/v1/orgs/{org}/controls/adopt", web__control_adopt, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/controls/{code}", web__api_control, A, APP_READ},
    {"PATCH", "/api/v1/orgs/{org}/controls/{code}", web__control_update, A, APP_EDIT},
    {"PUT", "/api/v1/orgs/{org}/controls/{code}/criteria/{criterion}", web__control_map, A, APP_EDIT},
    {"DELETE", "/api/v1/orgs/{org}/controls/{code}/criteria/{criterion}", web__control_unmap, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/scope", web__api_scope, A, APP_READ},
    {"PATCH", "/api/v1/orgs/{org}/scope/system", web__scope_system_save, A, APP_EDIT},
    {"PUT", "/api/v1/orgs/{org}/scope/categories/{category}", web__scope_category_save, A, APP_EDIT},
    {"POST", "/api/v1/orgs/{org}/scope/services", web__scope_service_create, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/scope/services/{name}", web__api_scope_service, A, APP_READ},
    {"PATCH", "/api/v1/orgs/{org}/scope/services/{name}", web__scope_service_update, A, APP_EDIT},
    {"DELETE", "/api/v1/orgs/{org}/scope/services/{name}", web__scope_service_delete, A, APP_EDIT},
    {"POST", "/api/v1/orgs/{org}/scope/components", web__scope_component_create, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/scope/components/{kind}/{name}", web__api_scope_component, A, APP_READ},
    {"PATCH", "/api/v1/orgs/{org}/scope/components/{kind}/{name}", web__scope_component_update, A, APP_EDIT},
    {"DELETE", "/api/v1/orgs/{org}/scope/components/{kind}/{name}", web__scope_component_delete, A, APP_EDIT},
    {"POST", "/api/v1/orgs/{org}/scope/subservices", web__scope_subservice_create, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/scope/subservices/{slug}", web__api_scope_subservice, A, APP_READ},
    {"PATCH", "/api/v1/orgs/{org}/scope/subservices/{slug}", web__scope_subservice_update, A, APP_EDIT},
    {"DELETE", "/api/v1/orgs/{org}/scope/subservices/{slug}", web__scope_subservice_delete, A, APP_EDIT},
    {"POST", "/api/v1/orgs/{org}/scope/subservices/{slug}/csocs", web__scope_csoc_create, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/scope/csocs/{id}", web__api_scope_csoc, A, APP_READ},
    {"PATCH", "/api/v1/orgs/{org}/scope/csocs/{id}", web__scope_csoc_update, A, APP_EDIT},
    {"DELETE", "/api/v1/orgs/{org}/scope/csocs/{id}", web__scope_csoc_delete, A, APP_EDIT},
    {"POST", "/api/v1/orgs/{org}/scope/cuecs", web__scope_cuec_create, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/scope/cuecs/{code}", web__api_scope_cuec, A, APP_READ},
    {"PATCH", "/api/v1/orgs/{org}/scope/cuecs/{code}", web__scope_cuec_update, A, APP_EDIT},
    {"DELETE", "/api/v1/orgs/{org}/scope/cuecs/{code}", web__scope_cuec_delete, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/people", web__api_people, A, APP_READ},
    {"POST", "/api/v1/orgs/{org}/people", web__person_create, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/people/{email}", web__api_person, A, APP_READ},
    {"PATCH", "/api/v1/orgs/{org}/people/{email}", web__person_update, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/vendors", web__api_vendors, A, APP_READ},
    {"POST", "/api/v1/orgs/{org}/vendors", web__vendor_create, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/vendors/{slug}", web__api_vendor, A, APP_READ},
    {"PATCH", "/api/v1/orgs/{org}/vendors/{slug}", web__vendor_update, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/risks", web__api_risks, A, APP_READ},
    {"POST", "/api/v1/orgs/{org}/risks", web__risk_create, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/risks/{code}", web__api_risk, A, APP_READ},
    {"PATCH", "/api/v1/orgs/{org}/risks/{code}", web__risk_update, A, APP_EDIT},
    {"POST", "/api/v1/orgs/{org}/risks/{code}/controls", web__risk_link, A, APP_EDIT},
    {"DELETE", "/api/v1/orgs/{org}/risks/{code}/controls/{control}", web__risk_unlink, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/policy-templates", web__api_policy_templates, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/policies", web__api_policies, A, APP_READ},
    {"POST", "/api/v1/orgs/{org}/policies", web__policy_create, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/policies/{slug}", web__api_policy, A, APP_READ},
    {"PATCH", "/api/v1/orgs/{org}/policies/{slug}", web__policy_update, A, APP_EDIT},
    {"POST", "/api/v1/orgs/{org}/policies/{slug}/approve", web__policy_approve, A, APP_EDIT},
    {"POST", "/api/v1/orgs/{org}/policies/{slug}/acknowledge", web__policy_ack, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/policies/{slug}/acks", web__api_policy_acks, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/evidence", web__api_evidence, A, APP_READ},
    {"POST", "/api/v1/orgs/{org}/evidence", web__evidence_upload, A | WEB_UPLOAD, APP_CONTRIBUTE},
    {"GET", "/api/v1/orgs/{org}/evidence/due", web__api_evidence_due, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/evidence/coverage", web__api_evidence_coverage, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/evidence/{id}", web__api_evidence_item, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/evidence/{id}/content", web__evidence_download, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/plan", web__api_plan, A, APP_READ},
    {"POST", "/api/v1/orgs/{org}/plan", web__plan_create, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/plan/calendar", web__api_plan_calendar, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/plan/tasks/{code}", web__api_plan_task, A, APP_READ},
    {"PATCH", "/api/v1/orgs/{org}/plan/tasks/{code}", web__plan_task_update, A, APP_EDIT},
    {"GET", "/api/v1/orgs/{org}/audit", web__api_audit, A, APP_READ},
    {"POST", "/api/v1/orgs/{org}/audit/verify", web__api_audit_verify, A, APP_READ},
    /* API: datasets and checks (checks.c) */
    {"GET", "/api/v1/orgs/{org}/checks", web__api_checks, A, APP_READ},
    {"POST", "/api/v1/orgs/{org}/checks/runs", web__checks_run, A, APP_CONTRIBUTE},
    {"GET", "/api/v1/orgs/{org}/checks/{id}", web__api_check, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/checks/{id}/runs", web__api_check_runs, A, APP_READ},
    {"POST", "/api/v1/orgs/{org}/checks/{id}/runs", web__check_run, A, APP_CONTRIBUTE},
    {"GET", "/api/v1/orgs/{org}/datasets", web__api_datasets, A, APP_READ},
    {"POST", "/api/v1/orgs/{org}/datasets", web__dataset_upload, A | WEB_UPLOAD, APP_CONTRIBUTE},
    {"GET", "/api/v1/orgs/{org}/datasets/{name}", web__api_dataset, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/datasets/{name}/rows", web__api_dataset_rows, A, APP_READ},
    /* API: engagements, tests and samples (engagements.c) */
    {"GET", "/api/v1/orgs/{org}/engagements", web__api_engagements, A, APP_ENGAGE},
    {"POST", "/api/v1/orgs/{org}/engagements", web__engagement_create, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}", web__api_engagement, A, APP_ENGAGE},
    {"POST", "/api/v1/orgs/{org}/engagements/{eng}/phase", web__engagement_phase, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/auditors", web__api_engagement_auditors, A, APP_ENGAGE},
    {"POST", "/api/v1/orgs/{org}/engagements/{eng}/auditors", web__engagement_auditor_add, A, APP_ENGAGE},
    {"DELETE", "/api/v1/orgs/{org}/engagements/{eng}/auditors/{email}", web__engagement_auditor_revoke, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/sampling-table", web__api_engagement_table, A, APP_ENGAGE},
    {"POST", "/api/v1/orgs/{org}/engagements/{eng}/test-plan", web__engagement_plan, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/bridge-letter", web__engagement_bridge, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/controls", web__api_engagement_controls, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/evidence", web__api_engagement_evidence, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/evidence/{id}/content", web__engagement_evidence_download, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/tests", web__api_engagement_tests, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/tests/{test}", web__api_test, A, APP_ENGAGE},
    {"PATCH", "/api/v1/orgs/{org}/engagements/{eng}/tests/{test}", web__test_edit, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/tests/{test}/population", web__api_test_population, A, APP_ENGAGE},
    {"PUT", "/api/v1/orgs/{org}/engagements/{eng}/tests/{test}/population", web__test_population, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/tests/{test}/samples", web__api_samples, A, APP_ENGAGE},
    {"POST", "/api/v1/orgs/{org}/engagements/{eng}/tests/{test}/samples", web__sample_draw, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/tests/{test}/samples/verify", web__api_sample_verify, A, APP_ENGAGE},
    {"POST", "/api/v1/orgs/{org}/engagements/{eng}/tests/{test}/results", web__test_result, A, APP_ENGAGE},
    {"POST", "/api/v1/orgs/{org}/engagements/{eng}/tests/{test}/conclusion", web__test_conclude, A, APP_ENGAGE},
    /* API: findings, remediation, requests (findings.c, requests.c) */
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/findings", web__api_findings, A, APP_ENGAGE},
    {"POST", "/api/v1/orgs/{org}/engagements/{eng}/findings", web__finding_create, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/findings/{code}", web__api_finding, A, APP_ENGAGE},
    {"PATCH", "/api/v1/orgs/{org}/engagements/{eng}/findings/{code}", web__finding_update, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/findings/{code}/remediation", web__api_finding_remediation, A, APP_ENGAGE},
    {"POST", "/api/v1/orgs/{org}/engagements/{eng}/findings/{code}/remediation", web__remediation_create, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/remediation", web__api_remediation, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/remediation/{code}", web__api_remediation_item, A, APP_ENGAGE},
    {"PATCH", "/api/v1/orgs/{org}/engagements/{eng}/remediation/{code}", web__remediation_update, A, APP_ENGAGE},
    {"POST", "/api/v1/orgs/{org}/engagements/{eng}/remediation/{code}/retest", web__remediation_retest, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/requests", web__api_requests, A, APP_ENGAGE},
    {"POST", "/api/v1/orgs/{org}/engagements/{eng}/requests", web__request_create, A, APP_ENGAGE},
    {"POST", "/api/v1/orgs/{org}/engagements/{eng}/requests/import", web__requests_import, A | WEB_UPLOAD | WEB_ENG_REQUEST, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/requests/{ref}", web__api_request, A, APP_ENGAGE},
    {"PATCH", "/api/v1/orgs/{org}/engagements/{eng}/requests/{ref}", web__request_update, A, APP_ENGAGE},
    {"POST", "/api/v1/orgs/{org}/engagements/{eng}/requests/{ref}/status", web__request_status, A, APP_ENGAGE},
    {"POST", "/api/v1/orgs/{org}/engagements/{eng}/requests/{ref}/evidence", web__request_attach, A, APP_ENGAGE},
    {"GET", "/api/v1/orgs/{org}/engagements/{eng}/requests/{ref}/comments", web__api_request_comments, A, APP_ENGAGE},
    {"POST", "/api/v1/orgs/{org}/engagements/{eng}/requests/{ref}/comments", web__request_comment, A, APP_ENGAGE},
    /* API: reports (reports.c) */
    {"GET", "/api/v1/orgs/{org}/reports", web__api_reports, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/reports/{kind}", web__report_download, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/frameworks", web__api_frameworks, A, APP_READ},
    {"GET", "/api/v1/orgs/{org}/frameworks/{slug}", web__api_framework, A, APP_READ},
    {NULL, NULL, NULL, 0, APP_READ},
};
#undef O
#undef A
/* clang-format on */

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; "
                          "base-uri 'none'";

/* Matches path against pattern, collecting {params}. */
static bool match(const char *pattern, const char *path, struct web_req *req)
{
    size_t n_params = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '*')
            break;
        if (*p == '{') {
            const char *pe = strchr(p, '}');
            const char *se = strchr(s, '/');
            size_t n = se ? (size_t)(se - s) : strlen(s);
            if (n == 0 || n_params >= sizeof(req->params) / sizeof(req->params[0]))
                return false;
            req->params[n_params++] = arena_strndup(req->a, s, n);
            p = pe + 1;
            s += n;
            continue;
        }
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    if (*p == '*') {
        if (!*s)
            return false;
        req->params[n_params++] = arena_strdup(req->a, s);
        req->n_params = n_params;
        return true;
    }
    if (*p || *s)
        return false;
    req->n_params = n_params;
    return true;
}

void web__cookie(struct web_req *req, struct web_resp *resp, const char *name, const char *value,
                 long max_age)
{
    char buf[512];
    char age[48] = "";
    if (max_age > 0)
        snprintf(age, sizeof(age), "; Max-Age=%ld", max_age);
    else if (max_age == 0)
        snprintf(age, sizeof(age), "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    snprintf(buf, sizeof(buf), "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name, value, age,
             req->secure ? "; Secure" : "");
    web_resp_header(resp, "Set-Cookie", buf);
}

static void pick_language(struct web_req *req, struct web_resp *resp)
{
    const char *q = web__q(req, "lang");
    if (q && (strcmp(q, "en") == 0 || strcmp(q, "sv") == 0)) {
        req->lang = strcmp(q, "sv") == 0 ? "sv" : "en";
        web__cookie(req, resp, WEB_COOKIE_LANG, req->lang, 365L * 24 * 3600);
        return;
    }
    const char *c = web_kvs_get(&req->cookies, WEB_COOKIE_LANG, false);
    if (c && (strcmp(c, "en") == 0 || strcmp(c, "sv") == 0)) {
        req->lang = strcmp(c, "sv") == 0 ? "sv" : "en";
        return;
    }
    if (req->user && req->user->language && strcmp(req->user->language, "sv") == 0) {
        req->lang = "sv";
        return;
    }
    const char *al = web_kvs_get(&req->headers, "Accept-Language", true);
    req->lang = al && strncasecmp(al, "sv", 2) == 0 ? "sv" : "en";
}

/* A bearer token (API only) or the session cookie. */
static int authenticate(struct web_req *req, struct web_resp *resp)
{
    struct err e = ERR_INIT;
    const char *auth = web_kvs_get(&req->headers, "Authorization", true);
    if (req->api && auth && strncasecmp(auth, "Bearer ", 7) == 0) {
        struct app_user *u = arena_calloc(req->a, 1, sizeof(*u));
        int rc = app_token_auth(req->app, req->a, auth + 7, u, &e);
        if (rc == 0) {
            req->user = u;
            req->bearer = true;
            snprintf(req->app->actor, sizeof(req->app->actor), "api:%s", u->email);
        }
        return rc == TL_ENOTFOUND ? 0 : rc;
    }
    const char *token = web_kvs_get(&req->cookies, WEB_COOKIE_SESSION, false);
    if (!token || !*token)
        return 0;
    struct app_session *s = arena_calloc(req->a, 1, sizeof(*s));
    int rc = app_session_get(req->app, req->a, token, s, &e);
    if (rc == 0) {
        req->session = s;
        req->user = &s->user;
        req->session_token = token;
        snprintf(req->app->actor, sizeof(req->app->actor), "web:%s", s->user.email);
    } else if (rc == TL_ENOTFOUND) {
        web__cookie(req, resp, WEB_COOKIE_SESSION, "", 0);
        rc = 0;
    }
    return rc;
}

static bool unsafe_method(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
}

void web__error(struct web_req *req, struct web_resp *resp, int status, const char *detail)
{
    if (req->api) {
        web__problem(req, resp, status, detail);
        return;
    }
    struct err e = ERR_INIT;
    json_t *d = json_object();
    web__set_int(d, "status", status);
    web__set_str(d, "detail", detail);
    char key[32];
    snprintf(key, sizeof(key), "error.%d", status);
    const char *title = web__t(req, key);
    if (strcmp(title, key) == 0)
        title = web__t(req, "error.title");
    int rc = web__page(req, resp, "error", title, d, &e);
    if (rc) {
        sb_reset(&resp->body);
        sb_addf(&resp->body, "<!doctype html><title>%d</title><p>%d</p>\n", status, status);
        resp->content_type = "text/html; charset=utf-8";
    }
    resp->status = status;
}

/* Maps a failed handler's error to a response.  Internal failures are
 * logged with their details and answered without them. */
static void fail(struct web_req *req, struct web_resp *resp, int rc, const struct err *e)
{
    int status = web__status(rc);
    const char *detail = e->msg[0] ? e->msg : err_text(rc);
    if (status >= 500) {
        if (req->site && req->site->cfg)
            log_msg(req->site->cfg->log, LOG_ERROR, "%s %s: %s (%s:%d)", req->method, req->path,
                    detail, e->file ? e->file : "?", e->line);
        detail = web__t(req, "error.internal");
    }
    if (status == 404 && !req->api)
        detail = web__t(req, "error.not_found");
    web__error(req, resp, status, detail);
}

void web__security_headers(struct web_resp *resp, bool cacheable)
{
    web_resp_header(resp, "Content-Security-Policy", csp);
    web_resp_header(resp, "X-Content-Type-Options", "nosniff");
    web_resp_header(resp, "Referrer-Policy", "strict-origin-when-cross-origin");
    web_resp_header(resp, "X-Frame-Options", "DENY");
    if (!cacheable)
        web_resp_header(resp, "Cache-Control", "no-store");
}

static int csrf_check(struct web_req *req)
{
    if (req->bearer || !req->session)
        return req->bearer ? 0 : TL_EPERM;
    const char *token = web__f(req, "csrf");
    if (!token)
        token = web_kvs_get(&req->headers, "X-CSRF-Token", true);
    return app_csrf_ok(req->session, token) ? 0 : TL_EPERM;
}

/* The route of req's method and path (params filled), or NULL;
 * *other_method says whether the path has a route for another method. */
static const struct web_route *find_route(struct web_req *req, bool *other_method)
{
    /* "/o/acme/" and "/o/acme" are the same page. */
    size_t plen = strlen(req->path);
    const char *path = req->path;
    if (plen > 1 && path[plen - 1] == '/')
        path = arena_strndup(req->a, path, plen - 1);
    const char *method = strcmp(req->method, "HEAD") == 0 ? "GET" : req->method;
    const struct web_route *route = NULL;
    *other_method = false;
    for (const struct web_route *r = web__routes; r->method; r++) {
        if (!match(r->pattern, path, req))
            continue;
        if (strcmp(r->method, method) == 0) {
            route = r;
            break;
        }
        *other_method = true;
    }
    /* match() of later patterns may have overwritten params: match again. */
    if (route)
        match(route->pattern, path, req);
    return route;
}

bool web__upload_gate(struct web_req *req)
{
    struct web_resp scratch;
    web_resp_init(&scratch, req->a);
    req->api = strncmp(req->path, "/api/", 5) == 0;
    bool other;
    const struct web_route *route = find_route(req, &other);
    bool ok = route && (route->flags & WEB_UPLOAD) && authenticate(req, &scratch) == 0 && req->user;
    if (ok && (route->flags & WEB_ORG)) {
        struct err e = ERR_INIT;
        ok = app_authz(req->app, req->a, req->user, req->params[0], route->action, &req->org,
                       &req->role, &e) == 0;
    }
    if (ok && (route->flags & WEB_ENG_REQUEST) && req->n_params > 1) {
        struct err e = ERR_INIT;
        struct app_who who = {req->role, req->user->email};
        ok = app_eng_authz(req->app, req->a, req->org.id, &who, req->params[1],
                           APP_ENG_REQUEST, &e) == 0;
    }
    web_resp_release(&scratch);
    return ok;
}

static void dispatch(struct web_req *req, struct web_resp *resp)
{
    struct err e = ERR_INIT;
    int rc = authenticate(req, resp);
    pick_language(req, resp);
    if (rc) {
        fail(req, resp, rc, &e);
        return;
    }
    bool other_method;
    const struct web_route *route = find_route(req, &other_method);
    const char *method = strcmp(req->method, "HEAD") == 0 ? "GET" : req->method;
    if (!route) {
        if (other_method)
            web__error(req, resp, 405, NULL);
        else
            fail(req, resp, TL_ENOTFOUND, &e);
        return;
    }
    if (!(route->flags & WEB_PUBLIC) && !req->user) {
        if (req->api) {
            web_resp_header(resp, "WWW-Authenticate", "Bearer");
            web__problem(req, resp, 401, "log in or send an API token");
            return;
        }
        struct sb loc = SB_INIT;
        sb_adds(&loc, "/login?next=");
        web_url_encode(&loc, req->path);
        web__redirect(resp, loc.buf);
        sb_release(&loc);
        return;
    }
    if (unsafe_method(method) && !(route->flags & WEB_PUBLIC) && csrf_check(req) != 0) {
        web__error(req, resp, 403, web__t(req, "error.csrf"));
        return;
    }
    if (route->flags & WEB_ORG) {
        rc = app_authz(req->app, req->a, req->user, req->params[0], route->action, &req->org,
                       &req->role, &e);
        if (rc) {
            fail(req, resp, rc, &e);
            return;
        }
    }
    rc = route->fn(req, resp, &e);
    if (rc)
        fail(req, resp, rc, &e);
}

void web_handle(struct web_req *req, struct web_resp *resp)
{
    if (!req->lang)
        req->lang = "en";
    req->api = strncmp(req->path, "/api/", 5) == 0;
    const char *proto = web_kvs_get(&req->headers, "X-Forwarded-Proto", true);
    req->secure = (req->site && req->site->cfg && req->site->cfg->tls_proxy) ||
                  (proto && strcasecmp(proto, "https") == 0);
    if (!req->body)
        req->body = "";
    const char *ct = web_kvs_get(&req->headers, "Content-Type", true);
    if (req->body_len && req->form.n == 0 && ct &&
        strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0 &&
        web_parse_form(&req->form, req->a, req->body, req->body_len) != 0)
        web__error(req, resp, 413, NULL);
    else
        dispatch(req, resp);
    web__security_headers(resp, resp->status == 200 && strncmp(req->path, "/static/", 8) == 0);
}
