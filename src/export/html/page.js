// The guanxi graph page: draws the embedded graph JSON with cytoscape.js and lets people search,
// filter, open cards and evidence, and focus on a neighbourhood. Names are only ever put into
// the document as text (textContent), never as markup.
(function () {
  'use strict';
  var status = document.getElementById('status');
  window.addEventListener('error', function (e) {
    status.setAttribute('data-error', String(e.message || e));
    status.textContent = String(e.message || e);
  });

  var graph = JSON.parse(document.getElementById('graph-data').textContent);
  var meta = JSON.parse(document.getElementById('graph-meta').textContent);
  var zh = meta.lang === 'zh';
  var T = zh ? {
    title: '关系图', search: '搜索名称（任何别名）', nodes: '个节点', edges: '条边', types: '实体类型',
    relations: '关系类型', minEvidence: '最少证据句数', showAll: '显示全部', fit: '适应窗口',
    focus: '只看邻居', expand: '展开邻居', close: '关闭', aliases: '别名', mentions: '提及次数',
    out: '指向', in: '来自', evidence: '证据', doc: '文档', cue: '线索', noHit: '没有找到',
    focused: '聚焦', directed: '有方向的关系', symmetric: '虚线无箭头：对称关系（竞争、合作）',
    thick: '线越粗，陈述它的句子越多', sentences: '句'
  } : {
    title: 'guanxi graph', search: 'Search a name (any alias)', nodes: 'nodes', edges: 'edges', types: 'Entity types',
    relations: 'Relation types', minEvidence: 'Minimum evidence sentences', showAll: 'Show all', fit: 'Fit',
    focus: 'Focus on neighbours', expand: 'Expand neighbours', close: 'Close', aliases: 'Aliases', mentions: 'Mentions',
    out: 'to', in: 'from', evidence: 'Evidence', doc: 'document', cue: 'cue', noHit: 'Nothing found',
    focused: 'Focus', directed: 'directed relation', symmetric: 'dashed, no arrow: symmetric (competes, partners)',
    thick: 'thicker: stated by more sentences', sentences: 'sentences'
  };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  // Names compare as the command line compares them: compatibility forms folded, case ignored.
  function key(s) { return String(s).normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim(); }

  var typeInfo = {};
  meta.types.forEach(function (t) { typeInfo[t.type] = t; });
  var relInfo = {};
  meta.relations.forEach(function (r) { relInfo[r.type] = r; });
  var nodeById = {};
  graph.nodes.forEach(function (n) { nodeById[n.id] = n; });
  var degree = {};
  graph.nodes.forEach(function (n) { degree[n.id] = 0; });
  graph.edges.forEach(function (e) { degree[e.source] += 1; degree[e.target] += 1; });

  function label(id) { return meta.labels[id] || nodeById[id].name; }
  function relLabel(t) { return relInfo[t] ? relInfo[t].label : t; }
  function typeLabel(t) { return typeInfo[t] ? typeInfo[t].label : t; }

  // Deterministic start positions on a circle: the same file draws the same picture.
  var elements = [];
  var count = graph.nodes.length;
  graph.nodes.forEach(function (n, i) {
    var a = 2 * Math.PI * i / Math.max(1, count);
    var r = 40 * Math.sqrt(count);
    elements.push({
      group: 'nodes',
      data: {
        id: n.id, label: label(n.id), type: n.type,
        colour: typeInfo[n.type] ? typeInfo[n.type].colour : '#ccc',
        size: Math.min(60, 14 + 5 * Math.sqrt(degree[n.id]))
      },
      position: { x: r * Math.cos(a), y: r * Math.sin(a) }
    });
  });
  graph.edges.forEach(function (e, i) {
    var sym = relInfo[e.type] && relInfo[e.type].symmetric;
    elements.push({
      group: 'edges',
      data: {
        id: 'e' + i, index: i, source: e.source, target: e.target, type: e.type,
        label: relLabel(e.type) + (e.attributes && e.attributes.amount ? ' ' + e.attributes.amount : ''),
        width: 1 + Math.log(Math.max(1, e.weight)) * 1.5
      },
      classes: sym ? 'symmetric' : ''
    });
  });

  var large = count > 300;
  var cy = cytoscape({
    container: document.getElementById('cy'),
    elements: elements,
    hideEdgesOnViewport: large,
    textureOnViewport: large,
    style: [
      { selector: 'node', style: {
        'background-color': 'data(colour)', 'border-width': 1, 'border-color': '#777',
        'width': 'data(size)', 'height': 'data(size)', 'label': '',
        'font-family': '"Noto Sans CJK SC", "Noto Sans", sans-serif', 'font-size': 12,
        'text-valign': 'bottom', 'text-margin-y': 2,
        'text-outline-color': '#fff', 'text-outline-width': 2, 'min-zoomed-font-size': 6 } },
      { selector: 'node.labelled', style: { 'label': 'data(label)' } },
      { selector: 'edge', style: {
        'width': 'data(width)', 'line-color': '#9aa5b1', 'target-arrow-color': '#9aa5b1',
        'target-arrow-shape': 'triangle', 'curve-style': large ? 'haystack' : 'bezier', 'arrow-scale': 0.8,
        'font-size': 10, 'text-rotation': 'autorotate', 'color': '#555',
        'text-outline-color': '#fff', 'text-outline-width': 2 } },
      { selector: 'edge.symmetric', style: { 'line-style': 'dashed', 'target-arrow-shape': 'none' } },
      { selector: 'edge.labelled', style: { 'label': 'data(label)' } },
      { selector: '.hidden', style: { 'display': 'none' } },
      { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#d35400', 'label': 'data(label)' } },
      { selector: 'edge:selected', style: { 'line-color': '#d35400', 'target-arrow-color': '#d35400', 'label': 'data(label)' } }
    ],
    layout: { name: 'preset' }
  });

  // State of the view: which types and relations are on, the evidence floor, the focus.
  var typeOn = {};
  meta.types.forEach(function (t) { typeOn[t.type] = true; });
  var relOn = {};
  meta.relations.forEach(function (r) { relOn[r.type] = true; });
  var minEvidence = 1;
  var focusSet = null; // node ids kept by a focus, or null for the whole graph

  function edgeVisible(e) {
    var g = graph.edges[e.data('index')];
    return relOn[g.type] && g.weight >= minEvidence && typeOn[nodeById[g.source].type] &&
      typeOn[nodeById[g.target].type] && (!focusSet || (focusSet[g.source] && focusSet[g.target]));
  }

  function applyFilters() {
    var edgeCount = {};
    cy.batch(function () {
      cy.edges().forEach(function (e) {
        var on = edgeVisible(e);
        e.toggleClass('hidden', !on);
        if (on) {
          edgeCount[e.data('source')] = (edgeCount[e.data('source')] || 0) + 1;
          edgeCount[e.data('target')] = (edgeCount[e.data('target')] || 0) + 1;
        }
      });
      // A node left without edges by a filter goes too; one that never had an edge stays.
      cy.nodes().forEach(function (n) {
        var id = n.id();
        var on = typeOn[n.data('type')] && (!focusSet || focusSet[id]) && (edgeCount[id] > 0 || degree[id] === 0);
        n.toggleClass('hidden', !on);
      });
    });
    rankByDegree();
    updateLabels();
    report();
  }

  function report() {
    var n = cy.nodes().not('.hidden').length;
    var e = cy.edges().not('.hidden').length;
    status.setAttribute('data-nodes', String(n));
    status.setAttribute('data-edges', String(e));
    status.textContent = n + ' ' + T.nodes + ' · ' + e + ' ' + T.edges;
  }

  // Labels by zoom and degree: at the fitted zoom the 60 best-connected shown nodes are named;
  // zooming in names more (the number grows with the square of the zoom), so 2,000 nodes stay
  // readable. Ties in degree go by the stable node order.
  var baseZoom = 1;
  var rank = {};
  var shownCount = 0;
  function rankByDegree() {
    var shown = cy.nodes().not('.hidden').map(function (n) { return n.id(); });
    shown.sort(function (a, b) { return degree[b] - degree[a] || (a < b ? -1 : a > b ? 1 : 0); });
    rank = {};
    shown.forEach(function (id, i) { rank[id] = i; });
    shownCount = shown.length;
  }
  function updateLabels() {
    var z = cy.zoom() / baseZoom;
    var labelled = 0;
    cy.batch(function () {
      cy.nodes().forEach(function (n) {
        var r = rank[n.id()];
        var on = n.selected() || shownCount <= 80 || (r !== undefined && r < 60 * z * z);
        n.toggleClass('labelled', on);
        if (on && !n.hasClass('hidden')) { labelled += 1; }
      });
      var fewEdges = cy.edges().not('.hidden').length <= 150;
      cy.edges().forEach(function (e) { e.toggleClass('labelled', (fewEdges && z >= 0.8) || z >= 2.5); });
    });
    status.setAttribute('data-labelled', String(labelled));
  }
  cy.on('zoom', updateLabels);

  // ---- Card of a node or an edge
  var card = document.getElementById('card');
  function openCard() { card.hidden = false; card.scrollTop = 0; }
  function clearCard() { while (card.firstChild) { card.removeChild(card.firstChild); } }
  function closeButton() {
    var b = el('button', T.close);
    b.type = 'button';
    b.addEventListener('click', function () { card.hidden = true; cy.elements().unselect(); });
    return b;
  }

  function showNode(id) {
    var n = nodeById[id];
    clearCard();
    card.setAttribute('data-node', id);
    card.removeAttribute('data-edge');
    card.appendChild(el('h3', label(id)));
    var t = el('div', typeLabel(n.type) + ' · ' + T.mentions + ' ' + n.mentions, 'type');
    card.appendChild(t);
    card.appendChild(el('div', T.aliases + ': ' + n.aliases.join(' / '), 'aliases'));
    var buttons = el('div');
    var f = el('button', T.focus); f.type = 'button';
    f.addEventListener('click', function () { focusOn(id, false); });
    var x = el('button', T.expand); x.type = 'button';
    x.addEventListener('click', function () { focusOn(id, true); });
    buttons.appendChild(f); buttons.appendChild(x); buttons.appendChild(closeButton());
    card.appendChild(buttons);
    var outs = el('ul', null, 'rels');
    var ins = el('ul', null, 'rels');
    graph.edges.forEach(function (e, i) {
      if (e.source === id) {
        var li = el('li', '→ ' + relLabel(e.type) + ' ' + label(e.target) + ' (' + e.weight + ' ' + T.sentences + ')');
        li.addEventListener('click', function () { selectEdge(i); });
        outs.appendChild(li);
      } else if (e.target === id) {
        var lj = el('li', '← ' + label(e.source) + ' ' + relLabel(e.type) + ' (' + e.weight + ' ' + T.sentences + ')');
        lj.addEventListener('click', function () { selectEdge(i); });
        ins.appendChild(lj);
      }
    });
    card.appendChild(el('h2', T.out + ' (' + outs.childNodes.length + ')'));
    card.appendChild(outs);
    card.appendChild(el('h2', T.in + ' (' + ins.childNodes.length + ')'));
    card.appendChild(ins);
    openCard();
  }

  // A sentence with its cue marked, as text nodes.
  function sentenceWithCue(sentence, cue) {
    var p = el('div');
    var at = cue ? sentence.indexOf(cue) : -1;
    if (at < 0) { p.textContent = sentence; return p; }
    p.appendChild(document.createTextNode(sentence.slice(0, at)));
    p.appendChild(el('mark', cue));
    p.appendChild(document.createTextNode(sentence.slice(at + cue.length)));
    return p;
  }

  function showEdge(i) {
    var e = graph.edges[i];
    clearCard();
    card.setAttribute('data-edge', String(i));
    card.removeAttribute('data-node');
    card.appendChild(el('h3', label(e.source) + (relInfo[e.type] && relInfo[e.type].symmetric ? ' — ' : ' → ') +
      relLabel(e.type) + ' → ' + label(e.target)));
    var attrs = Object.keys(e.attributes || {}).map(function (k) { return k + ': ' + e.attributes[k]; });
    if (attrs.length) { card.appendChild(el('div', attrs.join(' · '), 'type')); }
    card.appendChild(closeButton());
    card.appendChild(el('h2', T.evidence + ' (' + e.evidence.length + ')'));
    var list = el('ul', null, 'evidence');
    e.evidence.forEach(function (ev) {
      var li = el('li');
      li.appendChild(sentenceWithCue(ev.sentence, ev.cue));
      li.appendChild(el('div', T.doc + ': ' + ev.doc + ' · ' + T.cue + ': ' + ev.cue, 'doc'));
      list.appendChild(li);
    });
    card.appendChild(list);
    openCard();
  }

  function selectNode(id, centre) {
    var n = cy.getElementById(id);
    cy.elements().unselect();
    n.select();
    status.setAttribute('data-focus', id);
    if (centre) {
      if (n.hasClass('hidden')) { focusSet = null; applyFilters(); }
      cy.zoom({ level: Math.max(cy.zoom(), baseZoom * 1.6), position: n.position() });
      cy.center(n);
      // The card covers the right of the drawing: centre the entity in what stays visible.
      cy.panBy({ x: -card.offsetWidth / 2 || -190, y: 0 });
    }
    updateLabels();
    showNode(id);
  }
  function selectEdge(i) {
    cy.elements().unselect();
    cy.getElementById('e' + i).select();
    showEdge(i);
  }

  cy.on('tap', 'node', function (evt) { selectNode(evt.target.id(), false); });
  cy.on('tap', 'edge', function (evt) { selectEdge(evt.target.data('index')); });

  // ---- Focus and expand
  function neighbours(id) {
    var ids = {};
    ids[id] = true;
    graph.edges.forEach(function (e) {
      if (!relOn[e.type] || e.weight < minEvidence) { return; }
      if (e.source === id) { ids[e.target] = true; }
      if (e.target === id) { ids[e.source] = true; }
    });
    return ids;
  }
  function focusOn(id, expand) {
    var add = neighbours(id);
    if (!expand || !focusSet) { focusSet = {}; }
    Object.keys(add).forEach(function (k) { focusSet[k] = true; });
    applyFilters();
    var shown = cy.elements().not('.hidden');
    shown.layout({ name: 'cose', animate: false, randomize: false, fit: true, padding: 40 }).run();
    baseZoom = cy.zoom();
    updateLabels();
  }
  document.getElementById('show-all').addEventListener('click', function () {
    focusSet = null;
    applyFilters();
    cy.fit(cy.nodes().not('.hidden'), 30);
  });
  document.getElementById('fit').addEventListener('click', function () { cy.fit(cy.nodes().not('.hidden'), 30); });

  // ---- Search over every alias, in any script
  var hits = document.getElementById('hits');
  var search = document.getElementById('search');
  function find(q) {
    var k = key(q);
    if (!k) { return []; }
    var exact = [], prefix = [], inside = [];
    graph.nodes.forEach(function (n) {
      var names = [n.name].concat(n.aliases).map(key);
      if (names.indexOf(k) >= 0) { exact.push(n); }
      else if (names.some(function (a) { return a.indexOf(k) === 0; })) { prefix.push(n); }
      else if (names.some(function (a) { return a.indexOf(k) > 0; })) { inside.push(n); }
    });
    var byDegree = function (a, b) { return degree[b.id] - degree[a.id]; };
    return exact.sort(byDegree).concat(prefix.sort(byDegree), inside.sort(byDegree));
  }
  function runSearch(q) {
    while (hits.firstChild) { hits.removeChild(hits.firstChild); }
    var found = find(q);
    if (!found.length) {
      if (key(q)) { hits.appendChild(el('li', T.noHit)); }
      status.setAttribute('data-focus', '');
      return;
    }
    found.slice(0, 12).forEach(function (n) {
      var li = el('li');
      var sw = el('span', null, 'swatch');
      sw.style.background = typeInfo[n.type] ? typeInfo[n.type].colour : '#ccc';
      li.appendChild(sw);
      li.appendChild(document.createTextNode(label(n.id) + ' · ' + typeLabel(n.type)));
      li.addEventListener('click', function () { selectNode(n.id, true); });
      hits.appendChild(li);
    });
    selectNode(found[0].id, true);
  }
  search.placeholder = T.search;
  search.addEventListener('keydown', function (e) { if (e.key === 'Enter') { runSearch(search.value); } });
  search.addEventListener('search', function () { runSearch(search.value); });

  // The fragment sets the view, so a link can share it: #search=NAME selects an entity,
  // #focus=NAME shows its neighbourhood, #types=company,model, #relations=invests_in and #min=2
  // set the filters.
  function hashParams() {
    var out = {};
    window.location.hash.slice(1).split('&').forEach(function (kv) {
      if (!kv) { return; }
      var i = kv.indexOf('=');
      var k = i < 0 ? kv : kv.slice(0, i);
      var v = i < 0 ? '' : kv.slice(i + 1);
      try { out[k] = decodeURIComponent(v); } catch (err) { out[k] = v; }
    });
    return out;
  }
  function applyHash() {
    var p = hashParams();
    if (p.types !== undefined) {
      var types = p.types.split(',');
      meta.types.forEach(function (t) { typeOn[t.type] = types.indexOf(t.type) >= 0; typeBox[t.type].checked = typeOn[t.type]; });
    }
    if (p.relations !== undefined) {
      var rels = p.relations.split(',');
      meta.relations.forEach(function (r) { relOn[r.type] = rels.indexOf(r.type) >= 0; relBox[r.type].checked = relOn[r.type]; });
    }
    if (p.min !== undefined) {
      minEvidence = Math.max(1, parseInt(p.min, 10) || 1);
      minBox.value = String(minEvidence);
    }
    focusSet = null;
    applyFilters();
    if (p.focus) {
      var f = find(p.focus);
      if (f.length) { focusOn(f[0].id, false); status.setAttribute('data-focus', f[0].id); }
    }
    if (p.search !== undefined) {
      search.value = p.search;
      runSearch(p.search);
    }
    // #edge=N opens the evidence of the N-th edge of the graph JSON (from 0).
    var edge = parseInt(p.edge, 10);
    if (edge >= 0 && edge < graph.edges.length) { selectEdge(edge); }
  }
  window.addEventListener('hashchange', applyHash);

  // ---- Filters and legend
  document.getElementById('title').textContent = T.title;
  document.getElementById('show-all').textContent = T.showAll;
  document.getElementById('fit').textContent = T.fit;
  document.getElementById('types-title').textContent = T.types;
  document.getElementById('relations-title').textContent = T.relations;
  document.querySelector('#min-evidence-label span').textContent = T.minEvidence;
  var typeBox = {};
  var relBox = {};
  function checkbox(list, on, colour, text, n, change) {
    var li = el('li');
    var lab = el('label');
    var box = el('input');
    box.type = 'checkbox';
    box.checked = on;
    box.addEventListener('change', function () { change(box.checked); });
    lab.appendChild(box);
    if (colour) {
      var sw = el('span', null, 'swatch');
      sw.style.background = colour;
      lab.appendChild(sw);
    }
    lab.appendChild(document.createTextNode(text));
    lab.appendChild(el('span', n, 'count'));
    li.appendChild(lab);
    list.appendChild(li);
    return box;
  }
  var typeCounts = {};
  graph.nodes.forEach(function (n) { typeCounts[n.type] = (typeCounts[n.type] || 0) + 1; });
  meta.types.forEach(function (t) {
    typeBox[t.type] = checkbox(document.getElementById('types'), true, t.colour, t.label, typeCounts[t.type], function (on) {
      typeOn[t.type] = on; applyFilters();
    });
  });
  var relCounts = {};
  graph.edges.forEach(function (e) { relCounts[e.type] = (relCounts[e.type] || 0) + 1; });
  meta.relations.forEach(function (r) {
    relBox[r.type] = checkbox(document.getElementById('relations'), true, null, r.label, relCounts[r.type], function (on) {
      relOn[r.type] = on; applyFilters();
    });
  });
  var minBox = document.getElementById('min-evidence');
  minBox.addEventListener('change', function () {
    minEvidence = Math.max(1, parseInt(minBox.value, 10) || 1);
    applyFilters();
  });
  var legend = document.getElementById('edge-legend');
  [['line', T.directed], ['line dashed', T.symmetric], ['line thick', T.thick]].forEach(function (row) {
    var d = el('div');
    d.appendChild(el('span', null, row[0]));
    d.appendChild(document.createTextNode(row[1]));
    legend.appendChild(d);
  });

  // ---- Layout, then what the page reports
  // cose costs about n² per iteration: a large graph gets fewer, so 2,000 nodes still open in
  // seconds; a small one gets the full 1,000.
  function layoutIterations(n) { return Math.max(60, Math.min(1000, Math.round(2e8 / Math.max(1, n * n)))); }
  var started = Date.now();
  // The window may have its final size only now (a headless browser sets it after loading).
  cy.resize();
  window.addEventListener('resize', function () { cy.resize(); });
  cy.layout({
    name: 'cose', animate: false, randomize: false, fit: true, padding: 30,
    numIter: layoutIterations(count), nodeRepulsion: function () { return 8000; },
    idealEdgeLength: function () { return 60; }, nodeOverlap: 8, componentSpacing: 60
  }).run();
  baseZoom = cy.zoom();
  applyHash();
  status.setAttribute('data-layout-ms', String(Date.now() - started));
  status.setAttribute('data-ready', 'true');
})();
