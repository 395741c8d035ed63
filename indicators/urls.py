from django.urls import path

from .views import definitions, home, indicators, outturns, periods, policies, spc, targets

app_name = "indicators"

urlpatterns = [
    path("", home.home, name="home"),
    path("returns/", home.my_returns, name="my-returns"),
    path("returns/<int:indicator_id>/<int:period_id>/", outturns.outturn_entry, name="outturn-entry"),
    # The indicator page, its audit trail, its SPC baseline and the method page.
    path("indicators/<int:indicator_id>/", indicators.indicator_detail, name="indicator-detail"),
    path("indicators/<int:indicator_id>/spc-baseline/", spc.spc_baseline, name="spc-baseline"),
    path("indicators/<int:indicator_id>/spc-baseline/reset/", spc.spc_baseline_reset, name="spc-baseline-reset"),
    path("method/variation-and-forecasts/", spc.method, name="method"),
    # Targets: proposing them, quality-assuring them and signing them off.
    path("targets/", targets.targets, name="targets"),
    path("targets/<int:indicator_id>/<int:year>/", targets.target_edit, name="target-edit"),
    path("targets/quality-assurance/", targets.quality_assurance, name="quality-assurance"),
    path("targets/quality-assurance/done/", targets.quality_assurance_done, name="quality-assurance-done"),
    path("sign-off/", targets.sign_off, name="sign-off"),
    path("sign-off/done/", targets.sign_off_done, name="sign-off-done"),
    # The performance team's validation, overrides and periods; bulk entry.
    path("validation/", outturns.validation, name="validation"),
    path("validation/validate/", outturns.validation_confirm, name="validation-confirm"),
    path("outturns/<int:outturn_id>/return/", outturns.outturn_return, name="outturn-return"),
    path("outturns/<int:outturn_id>/override/", outturns.rating_override, name="rating-override"),
    path("periods/", periods.period_list, name="periods"),
    path("periods/<int:period_id>/lock/", periods.period_lock, name="period-lock"),
    path("periods/<int:period_id>/unlock/", periods.period_unlock, name="period-unlock"),
    path("indicators/<int:indicator_id>/history/", indicators.indicator_history, name="indicator-history"),
    path("returns/bulk/<int:service_id>/<int:period_id>/", outturns.bulk_entry, name="bulk-entry"),
    # Definitions: the team's register, service managers' proposals; the tolerance policy.
    path("definitions/", definitions.definitions, name="definitions"),
    path("definitions/add/", definitions.definition_add, name="definition-add"),
    path("definitions/<int:indicator_id>/", definitions.definition_edit, name="definition-edit"),
    path("definitions/<int:indicator_id>/delete/", definitions.definition_delete, name="definition-delete"),
    path("definitions/proposals/<int:proposal_id>/", definitions.proposal, name="proposal"),
    path("tolerance/", policies.tolerance_policy, name="tolerance-policy"),
    path("tolerance/<int:policy_id>/", policies.tolerance_policy_progress, name="tolerance-progress"),
]
