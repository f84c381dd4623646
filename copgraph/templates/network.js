/* The partnership page: vis-network plus an evidence panel, a search box and filters.
 * Static: the page's data comes from the JSON block #graph-data, so this script's hash
 * (in the page's Content-Security-Policy) never changes with the graph. Every text it
 * shows goes through textContent: names and quotes are never parsed as HTML. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("graph-data").textContent);
  var NODES = DATA.nodes;
  var TIES = DATA.edges;
  var PARTS = DATA.parts;
  var QUOTES = DATA.quotes;
  var STYLES = DATA.edge_styles;
  var byId = {};
  NODES.forEach(function (n) { byId[n.id] = n; });
  var tieById = {};
  TIES.forEach(function (e) { tieById[e.id] = e; });

  var nodes = new vis.DataSet(NODES.map(function (n) {
    var item = {id: n.id, label: n.label, title: n.title, color: n.color, size: n.size,
      hidden: false};
    if (n.x !== undefined) { item.x = n.x; item.y = n.y; }
    return item;
  }));
  function tieStyle(e, kind) {
    var style = STYLES[kind] || STYLES[e.primary_kind];
    return {color: {color: style.colour, highlight: style.colour, hover: style.colour,
      opacity: 0.9}, dashes: style.dashed};
  }
  var edges = new vis.DataSet(TIES.map(function (e) {
    var style = tieStyle(e, e.primary_kind);
    return {id: e.id, from: e.from, to: e.to, title: e.title, width: e.width,
      color: style.color, dashes: style.dashes, hidden: false};
  }).concat(PARTS.map(function (p) {
    return {id: p.id, from: p.from, to: p.to, title: p.title, width: 1.5, dashes: [2, 5],
      arrows: {to: {enabled: true, scaleFactor: 0.5}},
      color: {color: DATA.part_of.colour, highlight: DATA.part_of.colour,
        hover: DATA.part_of.colour, opacity: 0.9}, hidden: false};
  })));
  var container = document.getElementById("network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.options);
  var state = {network: network, nodes: nodes, edges: edges, ties: TIES, stabilized: false};
  window.copgraph = state;

  function stop() {
    if (state.stabilized) { return; }
    network.setOptions({physics: {enabled: false}});
    state.stabilized = true;
    document.body.setAttribute("data-stabilized", "true");
  }
  network.once("stabilizationIterationsDone", stop);
  network.once("stabilized", stop);
  if (NODES.length === 0 || !DATA.options.physics.enabled) { stop(); }

  /* legend swatches: colours set through the CSSOM, which the CSP allows */
  Array.prototype.forEach.call(document.querySelectorAll("[data-colour]"), function (el) {
    if (el.classList.contains("line")) {
      el.style.borderTopColor = el.getAttribute("data-colour");
      el.style.borderTopStyle = el.getAttribute("data-dashed") === "true" ? "dashed" : "solid";
    } else {
      el.style.backgroundColor = el.getAttribute("data-colour");
    }
  });

  /* full names on hover and when zoomed in */
  var fullLabels = false;
  network.on("hoverNode", function (p) {
    if (!fullLabels) { nodes.update({id: p.node, label: byId[p.node].name}); }
  });
  network.on("blurNode", function (p) {
    if (!fullLabels) { nodes.update({id: p.node, label: byId[p.node].label}); }
  });
  network.on("zoom", function () {
    var wanted = network.getScale() >= DATA.full_label_scale;
    if (wanted === fullLabels) { return; }
    fullLabels = wanted;
    nodes.update(NODES.map(function (n) { return {id: n.id, label: wanted ? n.name : n.label}; }));
  });

  /* the side panel */
  var panel = document.getElementById("panel");
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function quoteList(ids) {
    var ul = el("ul", null, "quotes");
    ids.forEach(function (id) {
      var q = QUOTES[id];
      var li = el("li");
      li.appendChild(el("q", q.quote));
      li.appendChild(el("span", " \u00a7" + q.section + ", line " + q.line, "where"));
      ul.appendChild(li);
    });
    return ul;
  }
  function swatch(kind) {
    var s = el("span", null, "line");
    s.style.borderTopColor = STYLES[kind].colour;
    s.style.borderTopStyle = STYLES[kind].dashed ? "dashed" : "solid";
    return s;
  }
  function clearPanel(title) {
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    panel.appendChild(el("h2", title));
    panel.hidden = false;
  }
  function facts(pairs) {
    var dl = el("dl");
    pairs.forEach(function (kv) {
      if (!kv[1]) { return; }
      dl.appendChild(el("dt", kv[0]));
      dl.appendChild(el("dd", kv[1]));
    });
    return dl;
  }
  function showNode(id) {
    var n = byId[id];
    clearPanel(n.name);
    panel.setAttribute("data-node", id);
    if (DATA.entity_base) {  /* served by copgraph serve: the organization's own page */
      var page = el("a", "Open its page: every fact with its quotes", "entity-link");
      page.href = DATA.entity_base + encodeURIComponent(id);
      panel.appendChild(page);
    }
    panel.appendChild(facts([["kind", n.kind], ["country", n.country_text],
      ["part of", n.parent_label], ["also called", n.other_names.join("; ")]]));
    var groups = {};
    TIES.forEach(function (e) {
      if (e.from !== id && e.to !== id) { return; }
      var other = e.from === id ? e.to : e.from;
      e.via.forEach(function (v) {
        (groups[v.kind] = groups[v.kind] || []).push({other: other, via: v, tie: e});
      });
    });
    var kinds = DATA.edge_kinds.filter(function (k) { return groups[k]; });
    panel.appendChild(el("p", kinds.length ? "Ties, by kind (sentences of the report behind " +
      "each tie in brackets):" : "No ties shown.", "hint"));
    kinds.forEach(function (kind) {
      var h = el("h3");
      h.appendChild(swatch(kind));
      h.appendChild(document.createTextNode(kind));
      h.setAttribute("data-kind", kind);
      panel.appendChild(h);
      var ul = el("ul", null, "ties");
      groups[kind].sort(function (a, b) {
        return byId[a.other].name.localeCompare(byId[b.other].name);
      }).forEach(function (t) {
        var li = el("li", null, "tie");
        var who = el("button", byId[t.other].name + " (" + t.tie.weight + ")", "partner");
        who.type = "button";
        who.addEventListener("click", function () { focusNode(t.other); });
        li.appendChild(who);
        if (t.via.about) { li.appendChild(el("div", t.via.about, "about")); }
        li.appendChild(quoteList(t.via.evidence));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    });
  }
  function showTie(id) {
    var e = tieById[id];
    if (!e) {
      var p = PARTS.filter(function (x) { return x.id === id; })[0];
      if (p) { clearPanel(p.title); }
      return;
    }
    clearPanel(byId[e.from].name + " \u2014 " + byId[e.to].name);
    panel.setAttribute("data-tie", id);
    panel.appendChild(facts([["kinds", e.kinds.join(", ")],
      ["weight", e.weight + " sentence(s) of the report"],
      ["countries", e.countries.join(", ") || "none stated"]]));
    e.via.forEach(function (v) {
      var h = el("h3");
      h.appendChild(swatch(v.kind));
      h.appendChild(document.createTextNode(v.kind + (v.about ? ": " + v.about : "")));
      panel.appendChild(h);
      panel.appendChild(quoteList(v.evidence));
    });
  }
  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), DATA.full_label_scale),
      animation: false});
    showNode(id);
  }
  network.on("click", function (p) {
    if (p.nodes.length) { showNode(p.nodes[0]); } else if (p.edges.length) { showTie(p.edges[0]); }
  });
  state.showNode = showNode;
  state.showTie = showTie;

  /* search by any name */
  var search = document.getElementById("search");
  var searchNote = document.getElementById("search-note");
  function find(text) {
    var wanted = text.trim().toLowerCase();
    if (!wanted) { return null; }
    var exact = null;
    var partial = null;
    NODES.forEach(function (n) {
      n.names.forEach(function (name) {
        var lower = name.toLowerCase();
        if (lower === wanted && exact === null) { exact = n.id; }
        if (lower.indexOf(wanted) >= 0 && partial === null) { partial = n.id; }
      });
    });
    return exact || partial;
  }
  function runSearch() {
    var id = find(search.value);
    searchNote.textContent = id ? "" : (search.value.trim() ?
      "No organization shown is called that." : "");
    if (id) {
      if (nodes.get(id).hidden) { resetFilters(); }
      focusNode(id);
    }
  }
  search.addEventListener("change", runSearch);
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { runSearch(); } });
  state.find = find;

  /* filters */
  var countrySelect = document.getElementById("country-filter");
  var kindSelect = document.getElementById("kind-filter");
  var count = document.getElementById("shown-count");
  function applyFilters() {
    var country = countrySelect.value;
    var kind = kindSelect.value;
    var nodeOk = {};
    var linked = {};
    NODES.forEach(function (n) {
      nodeOk[n.id] = !country || n.countries.indexOf(country) >= 0;
    });
    var updates = TIES.map(function (e) {
      var show = nodeOk[e.from] && nodeOk[e.to] &&
        (!kind || e.kinds.indexOf(kind) >= 0) &&
        (!country || e.countries.indexOf(country) >= 0);
      if (show) { linked[e.from] = true; linked[e.to] = true; }
      var style = tieStyle(e, kind && e.kinds.indexOf(kind) >= 0 ? kind : e.primary_kind);
      return {id: e.id, hidden: !show, color: style.color, dashes: style.dashes};
    });
    var shown = {};
    var total = 0;
    var nodeUpdates = NODES.map(function (n) {
      var show = nodeOk[n.id] && (!kind || linked[n.id] === true);
      if (show) { total += 1; shown[n.id] = true; }
      return {id: n.id, hidden: !show};
    });
    PARTS.forEach(function (p) {
      updates.push({id: p.id, hidden: !(shown[p.from] && shown[p.to])});
    });
    nodes.update(nodeUpdates);
    edges.update(updates);
    count.textContent = "Showing " + total + " of " + NODES.length + " organizations";
  }
  function resetFilters() {
    countrySelect.value = "";
    kindSelect.value = "";
    applyFilters();
  }
  countrySelect.addEventListener("change", applyFilters);
  kindSelect.addEventListener("change", applyFilters);
  document.getElementById("reset-filters").addEventListener("click", resetFilters);
  state.applyFilters = applyFilters;
  applyFilters();
}());
