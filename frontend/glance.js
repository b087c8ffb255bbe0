/*
 * The issue glance: Apply runs as the signed-in person through AP.request (so Jira checks their permissions and
 * its history names them), then tells the app; Dismiss only tells the app. Apply all sends the one edit the app
 * prepared with exactly the suggested values (alternatives are only applied one by one). While a state settles by itself
 * (history loading, training, the engine restarting) the content is fetched again every few seconds.
 */
(function () {
  'use strict';

  const POLL_MS = 3000;
  let pollTimer = null;

  function root() { return document.getElementById('glance'); }

  function feedback(target, value, action) {
    return Triage.appFetch('/api/issues/' + root().dataset.issueId + '/feedback', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ target: target, value: value, action: action })
    });
  }

  function label(item) {
    const value = item.querySelector('.item__value');
    return value ? value.textContent.trim() : item.dataset.value;
  }

  /** The issue edit, sent by Jira as the signed-in person. */
  function editIssue(edit) {
    return AP.request({
      url: '/rest/api/3/issue/' + encodeURIComponent(root().dataset.issueKey),
      type: 'PUT',
      contentType: 'application/json',
      data: edit
    });
  }

  async function apply(item) {
    const target = item.closest('.panel').dataset.target;
    const buttons = item.querySelectorAll('button');
    buttons.forEach(function (b) { b.disabled = true; });
    try {
      await editIssue(item.dataset.edit);
    } catch (failure) {
      buttons.forEach(function (b) { b.disabled = false; });
      Triage.flag('Could not apply ' + label(item), Triage.jiraMessage(failure), 'error');
      return false;
    }
    markApplied(item);
    await accepted(target, item);
    return true;
  }

  function markApplied(item) {
    item.classList.add('item--applied');
    item.querySelector('.item__actions').innerHTML = '<span class="lozenge lozenge--success">Applied</span>';
    Triage.resize();
  }

  async function accepted(target, item) {
    try {
      await feedback(target, item.dataset.value, 'accepted');
    } catch (ignored) {
      // the value is in Jira; only the app's acceptance count misses it
    }
  }

  async function dismiss(item) {
    const panel = item.closest('.panel');
    try {
      await feedback(panel.dataset.target, item.dataset.value, 'dismissed');
    } catch (failure) {
      Triage.flag('Could not dismiss', failure.message, 'error');
      return;
    }
    item.remove();
    if (!panel.querySelector('.item')) {
      const done = document.createElement('p');
      done.className = 'notice notice--inline';
      done.textContent = 'Dismissed.';
      panel.appendChild(done);
    }
    Triage.resize();
  }

  async function applyAll(button) {
    const items = Array.from(root().querySelectorAll('.item--suggested:not(.item--applied)'));
    const buttons = [button].concat(items.flatMap(function (item) {
      return Array.from(item.querySelectorAll('button'));
    }));
    buttons.forEach(function (b) { b.disabled = true; });
    try {
      await editIssue(button.dataset.edit);
    } catch (failure) {
      buttons.forEach(function (b) { b.disabled = false; });
      Triage.flag('Could not apply the suggestions', Triage.jiraMessage(failure), 'error');
      return;
    }
    items.forEach(markApplied);
    // the button goes; keyboard focus goes to the outcome, not lost to the page
    const done = document.createElement('span');
    done.className = 'status-line';
    done.tabIndex = -1;
    done.textContent = 'Applied ' + items.length + (items.length === 1 ? ' suggestion.' : ' suggestions.');
    button.replaceWith(done);
    done.focus();
    Triage.resize();
    await Promise.all(items.map(function (item) { return accepted(item.closest('.panel').dataset.target, item); }));
    Triage.flag('Applied ' + items.length + (items.length === 1 ? ' suggestion' : ' suggestions'), '', 'success');
  }

  async function refresh() {
    const current = root();
    const query = '?issueKey=' + encodeURIComponent(current.dataset.issueKey)
      + '&projectKey=' + encodeURIComponent(current.dataset.projectKey);
    await Triage.replaceFrom('/api/issues/' + current.dataset.issueId + '/glance' + query, 'glance');
    settle();
  }

  function settle() {
    Triage.showPeople(root());
    Triage.resize();
    clearTimeout(pollTimer);
    if (root().dataset.waiting === 'true') pollTimer = setTimeout(refresh, POLL_MS);
  }

  document.addEventListener('click', function (event) {
    const button = event.target.closest('button[data-action]');
    if (!button || button.disabled) return;
    const action = button.dataset.action;
    if (action === 'apply-all') applyAll(button);
    else if (action === 'apply') apply(button.closest('.item'));
    else if (action === 'dismiss') dismiss(button.closest('.item'));
  });

  document.addEventListener('DOMContentLoaded', settle);
})();
