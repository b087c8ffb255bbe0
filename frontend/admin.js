/*
 * The project settings page. Saves and Retrain go to the app with the iframe's context token; the app asks Jira
 * whether the person administers the project, so the read-only view here is a courtesy, not the check. After a
 * Retrain the content is fetched again until no job is pending or running, so the result appears on the page.
 */
(function () {
  'use strict';

  const POLL_MS = 3000;
  let pollTimer = null;

  function root() { return document.getElementById('admin'); }

  function projectPath(suffix) {
    return '/api/projects/' + encodeURIComponent(root().dataset.projectKey) + suffix;
  }

  async function save(form) {
    const status = form.querySelector('.save-status');
    const threshold = Number(form.elements.threshold.value);
    if (form.elements.threshold.value === '' || !Number.isFinite(threshold) || threshold < 0 || threshold > 100) {
      status.textContent = 'The suggestion floor is a percentage from 0 to 100 (0: the model\'s choice).';
      return;
    }
    const autoThreshold = Number(form.elements.autoThreshold.value);
    if (form.elements.autoThreshold.value === '' || !Number.isFinite(autoThreshold) || autoThreshold < 0
        || autoThreshold > 100) {
      status.textContent = 'The auto-apply floor is a percentage from 0 to 100 (0: the model\'s choice).';
      return;
    }
    const body = {
      enabled: form.elements.enabled.checked,
      threshold: threshold / 100,
      autoApply: form.elements.autoApply.value,
      autoThreshold: autoThreshold / 100,
      excluded: form.elements.excluded.value.split('\n').map(function (v) { return v.trim(); })
        .filter(function (v) { return v.length > 0; })
    };
    status.textContent = 'Saving…';
    try {
      await Triage.appFetch(projectPath('/settings/' + encodeURIComponent(form.dataset.target)), {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body)
      });
      status.textContent = 'Saved.';
      Triage.flag('Settings saved', form.dataset.target + ' settings are in effect.', 'success');
    } catch (failure) {
      status.textContent = failure.message;
      Triage.flag('Settings not saved', failure.message, 'error');
    }
  }

  async function retrain(button) {
    const status = document.getElementById('retrain-status');
    button.disabled = true;
    status.textContent = 'Starting…';
    try {
      await Triage.appFetch(projectPath('/train'), { method: 'POST' });
      status.textContent = 'Training started; results appear below when it finishes.';
      setTimeout(refresh, 500);
    } catch (failure) {
      button.disabled = false;
      status.textContent = failure.message;
      Triage.flag('Retrain refused', failure.message, 'error');
    }
  }

  async function refresh() {
    await Triage.replaceFrom(projectPath('/admin'), 'admin');
    settle();
  }

  function settle() {
    Triage.resize();
    clearTimeout(pollTimer);
    if (root().dataset.busy === 'true') pollTimer = setTimeout(refresh, POLL_MS);
  }

  document.addEventListener('submit', function (event) {
    const form = event.target.closest('form.settings');
    if (!form) return;
    event.preventDefault();
    save(form);
  });

  document.addEventListener('click', function (event) {
    const button = event.target.closest('button[data-action="retrain"]');
    if (button && !button.disabled) retrain(button);
  });

  document.addEventListener('DOMContentLoaded', settle);
})();
