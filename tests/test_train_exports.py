"""The Train page's export and import panel: downloads, and weights loaded into a run."""

from conftest import button, shown, steps_done

from dashboard import session_run


def test_export_panel_offers_history_weights_and_settings(page):
    button(page, "Step").click().run()
    labels = [d.label for d in page.get("download_button")]
    assert labels == ["History (CSV)", "Weights (.npz)", "Settings (JSON)"]
    assert not page.exception


def exported_weights(scale):
    """A weights file for the default settings, its weights scaled away from the fresh ones."""
    from dashboard import exports
    from dashboard.config import RunConfig, build_trainer, load_data

    model = build_trainer(RunConfig(), load_data(RunConfig())).model
    model.parameter_vector()[:] *= scale
    return exports.weights_npz(model), model


def test_weights_can_be_loaded_before_the_first_train(page):
    content, model = exported_weights(0.5)
    page.file_uploader(key="weights_upload").upload("w.npz", content).run()
    assert not page.exception and not page.error
    job = page.session_state[session_run.JOB_KEY]
    assert job.trainer.step_count == 0
    assert all((job.trainer.model.params[k] == v).all() for k, v in model.params.items())
    # Said until training goes on (a toast was gone in seconds), with charts that wait.
    assert page.info[0].value.startswith("Weights loaded from the file")
    grads = next(c for c in page.get("plotly_chart") if "param_grad" in c.proto.id)
    assert "appears here once training starts" in grads.proto.spec
    button(page, "Train").click().run()
    assert steps_done(page) > 0
    assert not any(i.value.startswith("Weights loaded") for i in page.info)


def test_a_file_that_is_not_npz_is_refused_in_plain_words(page):
    page.file_uploader(key="weights_upload").upload("w.npz", b"just some text").run()
    assert not page.exception
    message = page.error[0].value
    assert shown(message).startswith("The weights file was not loaded: not an .npz archive")
    assert "pickle" not in message
    page.file_uploader(key="weights_upload").clear().run()
    assert not page.error  # removing the file removes the complaint


def test_a_refused_weights_file_leaves_no_run_behind(page):
    page.file_uploader(key="weights_upload").upload("w.npz", b"just some text").run()
    assert session_run.JOB_KEY not in page.session_state
    page.number_input(key="hidden_size").set_value(8).run()
    assert not any("differ" in w.value for w in page.warning)  # no run that never was
    button(page, "Step").click().run()
    job = page.session_state[session_run.JOB_KEY]
    assert job.trainer.model.config.hidden_size == 8  # the sidebar's settings apply


def test_weights_that_overflow_on_this_data_are_flagged_and_blamed(page):
    content, _ = exported_weights(1e300)  # finite weights, but predictions overflow
    page.file_uploader(key="weights_upload").upload("w.npz", content).run()
    assert "The loaded weights overflow on this data" in page.warning[0].value
    button(page, "Step").click().run()
    assert not page.exception
    assert "the loss blew up" in page.error[0].value
    why = next(m.value for m in page.markdown if m.value.startswith("Why:"))
    assert "the weights loaded from the file overflow on this data" in why
    assert "untrained" not in why  # it is not the untrained network that overflowed


def test_weights_offered_to_a_run_that_blew_up_are_refused_with_what_to_do(open_page):
    page = open_page("pages/home.py")
    page.query_params.update({"opt": "sgd", "lr": "100", "clip": "none"})
    page.switch_page("pages/train.py").run()
    for _ in range(10):
        button(page, "Step").click().run()
        if page.error:
            break
    content, _ = exported_weights(0.5)
    page.file_uploader(key="weights_upload").upload("w.npz", content).run()
    refusal = next(e.value for e in page.error if e.value.startswith("The weights file"))
    assert shown(refusal).endswith(
        "only Reset is left to it; press Reset, then load the file again"
    )
    assert page.session_state[session_run.JOB_KEY].trainer.diverged is not None  # untouched


def test_weights_loaded_into_a_finished_run_are_said_instead_of_done(page):
    page.number_input(key="epochs").set_value(1).run()
    button(page, "Train").click().run()
    while not any(s.value.startswith("Done") for s in page.success):
        page.run()
    content, _ = exported_weights(0.5)
    page.file_uploader(key="weights_upload").upload("w.npz", content).run()
    assert page.info[0].value.startswith("Weights loaded from the file")
    assert not any(s.value.startswith("Done") for s in page.success)
