/* The geokg query page: YASGUI on this service's /sparql, the example queries as tabs, and
 * result IRIs in the geokg id namespace (data-id-base) linked to this service's /id/ pages.
 * Works offline: nothing here or in the YASGUI bundle is fetched from another origin (the
 * LOV-backed property/class autocompleters, which call lov.linkeddata.es, are switched off). */
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  var endpoint = new URL(root.dataset.endpoint, window.location.href).href;
  var idBase = root.dataset.idBase;
  var idPrefix = new URL(root.dataset.idPrefix, window.location.href).href;
  var examples = JSON.parse(document.getElementById("geokg-examples").textContent);
  var prefixes = JSON.parse(document.getElementById("geokg-prefixes").textContent);

  // Offline: keep only the autocompleters that need no network (prefixes are bundled).
  var completers = Yasgui.Yasqe.defaults.autocompleters;
  var offline = completers.filter(function (name) { return name === "prefixes" || name === "variables"; });
  completers.splice.apply(completers, [0, completers.length].concat(offline));

  // Result IRIs of geokg resources open their page on this service, in the same window.
  var Table = Yasgui.Yasr.plugins.table;
  var uriLink = Table.prototype.getUriLinkFromBinding;
  var geokgHref = new RegExp("href=([\"'])" + idBase.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&"), "g");
  Table.prototype.getUriLinkFromBinding = function (binding, prefixMap) {
    var html = uriLink.call(this, binding, prefixMap);
    if (binding.value.indexOf(idBase) !== 0) return html;
    return html.replace(geokgHref, "href=$1" + idPrefix)
               .replace(/target=(["'])_blank\1/, "target=$1_self$1");
  };

  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    copyEndpointOnNewTab: true,
    autoAddOnInit: false,
    persistenceId: "geokg",
    // "id:" only shortens how geokg IRIs are shown in the table; queries declare their own prefixes.
    yasr: { prefixes: Object.assign({ id: idBase }, prefixes) },
  });

  // Tabs kept from an earlier visit still query this service, wherever it now runs.
  Object.keys(yasgui._tabs).forEach(function (id) { yasgui.getTab(id).setEndpoint(endpoint); });

  function tabOf(example) {
    return Object.keys(yasgui._tabs).map(function (id) { return yasgui.getTab(id); })
      .filter(function (tab) { return tab.getName() === example.title; })[0];
  }

  function open(example, run) {
    var tab = tabOf(example);
    if (!tab) {
      tab = yasgui.addTab(true, { name: example.title, yasqe: { value: example.query },
                                  requestConfig: { endpoint: endpoint, method: "POST" } });
    } else {
      yasgui.selectTabId(tab.getId());
      tab.getYasqe().setValue(example.query);
    }
    if (run) tab.query().catch(function () {});
    return tab;
  }

  if (Object.keys(yasgui._tabs).length === 0) {
    examples.forEach(function (example) { open(example, false); });
    if (examples.length) yasgui.selectTabId(tabOf(examples[0]).getId());
  }

  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      var example = examples.filter(function (ex) { return ex.name === button.dataset.example; })[0];
      if (example) open(example, true);
    });
  });

  window.geokg = { yasgui: yasgui, examples: examples, open: open };
})();
