// popspec HTML report: filters by verdict, RFC and (several runs) "targets differ". Embedded into
// the report at build time (reports/CMakeLists.txt); the report's Content-Security-Policy allows
// only this exact script, by hash. It reads data-* attributes and toggles a class: it never
// builds markup from report text.
(function () {
  'use strict';
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[data-filter-verdict]'));
  var rfcSelect = document.getElementById('filter-rfc');
  var differBox = document.getElementById('filter-differ');
  var shownCount = document.getElementById('shown-count');
  var items = Array.prototype.slice.call(document.querySelectorAll('.filterable'));
  var sections = Array.prototype.slice.call(document.querySelectorAll('.rfc-section'));
  var problems = { fail: true, timeout: true, error: true, non_strict: true };

  function tokens(element, name) {
    var value = element.getAttribute(name);
    return value ? value.split(' ') : [];
  }

  function apply() {
    var wanted = {};
    boxes.forEach(function (box) {
      if (box.checked) wanted[box.getAttribute('data-filter-verdict')] = true;
    });
    var rfc = rfcSelect ? rfcSelect.value : '';
    var differOnly = differBox ? differBox.checked : false;
    var shown = 0;
    items.forEach(function (element) {
      var visible =
        tokens(element, 'data-verdicts').some(function (v) { return wanted[v] === true; }) &&
        (rfc === '' || tokens(element, 'data-rfcs').indexOf(rfc) >= 0) &&
        (!differOnly || element.getAttribute('data-differ') === '1');
      element.classList.toggle('hidden', !visible);
      if (visible && element.classList.contains('scenario-row')) shown += 1;
    });
    sections.forEach(function (section) {
      section.classList.toggle('hidden', rfc !== '' && section.getAttribute('data-rfc') !== rfc);
    });
    if (shownCount) shownCount.textContent = String(shown);
  }

  function selectVerdicts(predicate) {
    boxes.forEach(function (box) { box.checked = predicate(box.getAttribute('data-filter-verdict')); });
    apply();
  }

  // Following a link to a scenario's details opens them.
  function openLinkedDetails() {
    var id = window.location.hash.slice(1);
    var target = id ? document.getElementById(id) : null;
    if (target && target.tagName === 'DETAILS') target.open = true;
  }

  boxes.forEach(function (box) { box.addEventListener('change', apply); });
  if (rfcSelect) rfcSelect.addEventListener('change', apply);
  if (differBox) differBox.addEventListener('change', apply);
  var showAll = document.getElementById('filter-show-all');
  if (showAll) showAll.addEventListener('click', function () { selectVerdicts(function () { return true; }); });
  var showProblems = document.getElementById('filter-show-problems');
  if (showProblems) {
    showProblems.addEventListener('click', function () {
      selectVerdicts(function (v) { return problems[v] === true; });
    });
  }
  window.addEventListener('hashchange', openLinkedDetails);
  document.documentElement.classList.add('scripted');
  apply();
  openLinkedDetails();
})();
