window.dlpLocalOffer.load({"theme_names":{"early_identification":"Early identification","inclusion_hubs":"Inclusion hubs","workforce":"Workforce development"},"themes_of":{"borough-wide":["inclusion_hubs","workforce"],"stourside-primaries":["early_identification","workforce"],"vale-secondaries":["inclusion_hubs"]}});
var map_0001 = L.map(
                "map_0001",
                {
                    center: [52.51, -2.08],
                    crs: L.CRS.EPSG3857,
                    ...{
  "zoom": 12,
  "zoomControl": true,
  "preferCanvas": false,
  "minZoom": 9,
  "maxZoom": 18,
}

                }
            );
            L.control.scale().addTo(map_0001);

            

        
    
        function geo_json_0008_styler(feature) {
            switch(feature.id) {
                default:
                    return {"color": "#505a5f", "dashArray": "6 4", "fill": false, "weight": 2};
            }
        }

        function geo_json_0008_onEachFeature(feature, layer) {

            layer.on({
            });
        };
        var geo_json_0008 = L.geoJson(null, {
                onEachFeature: geo_json_0008_onEachFeature,
            
                style: geo_json_0008_styler,
            ...{
  "interactive": false,
}
        });

        function geo_json_0008_add (data) {
            geo_json_0008
                .addData(data);
        }
            geo_json_0008_add({"features": [{"geometry": {"coordinates": [[[-2.0894, 52.4945], [-2.102, 52.4967], [-2.137, 52.5214], [-2.1449, 52.5291], [-2.1471, 52.5342], [-2.1451, 52.5406], [-2.1385, 52.5457], [-2.1266, 52.5485], [-2.1141, 52.5467], [-2.0636, 52.5203], [-2.0592, 52.5142], [-2.0602, 52.5075], [-2.0647, 52.5029], [-2.077, 52.4971], [-2.0894, 52.4945]]], "type": "Polygon"}, "id": "0", "properties": {}, "type": "Feature"}], "type": "FeatureCollection"});

        
    
            geo_json_0008.addTo(map_0001);
        
    
            var feature_group_0009 = L.featureGroup(
                {
}
            );
        
    
        function geo_json_0011_styler(feature) {
            switch(feature.properties.partnership_id) {
                default:
                    return {"color": "#0060a0", "fillColor": "#0060a0", "fillOpacity": 0.08, "weight": 2};
            }
        }

        function geo_json_0011_onEachFeature(feature, layer) {

            layer.on({
            });
        };
        var geo_json_0011 = L.geoJson(null, {
                onEachFeature: geo_json_0011_onEachFeature,
            
                style: geo_json_0011_styler,
            ...{
}
        });

        function geo_json_0011_add (data) {
            geo_json_0011
                .addData(data);
        }
            geo_json_0011_add({"features": [{"geometry": {"coordinates": [[[-2.0914, 52.5239], [-2.0874, 52.5249], [-2.0832, 52.5254], [-2.0789, 52.5254], [-2.0746, 52.5249], [-2.0706, 52.5239], [-2.067, 52.5224], [-2.0637, 52.5204], [-2.0614, 52.5182], [-2.0598, 52.5157], [-2.059, 52.5131], [-2.0591, 52.5104], [-2.06, 52.5078], [-2.0623, 52.5048], [-2.0666, 52.5018], [-2.0729, 52.4995], [-2.076, 52.4976], [-2.0792, 52.4962], [-2.0832, 52.4952], [-2.0875, 52.4946], [-2.0919, 52.4946], [-2.0962, 52.4951], [-2.1002, 52.4961], [-2.1039, 52.4975], [-2.1071, 52.4994], [-2.1095, 52.5016], [-2.1111, 52.5041], [-2.112, 52.5067], [-2.112, 52.5093], [-2.1112, 52.5119], [-2.1095, 52.5143], [-2.1071, 52.5165], [-2.104, 52.5184], [-2.0981, 52.5205], [-2.095, 52.5224], [-2.0914, 52.5239]]], "type": "Polygon"}, "properties": {"label": "Stourside Primary Cluster", "partnership_id": "stourside-primaries"}, "type": "Feature"}], "type": "FeatureCollection"});

        
    
    geo_json_0011.bindTooltip(
    function(layer){
    let div = L.DomUtil.create('div');
    
    let handleObject = feature => {
        if (feature === null) {
            return '';
        } else if (typeof(feature)=='object') {
            return JSON.stringify(feature);
        } else {
            return feature;
        }
    }
    let fields = ["label"];
    let aliases = ["label"];
    let table = '<table>' +
        String(
        fields.map(
        (v,i)=>
        `<tr>
            <td>${handleObject(layer.feature.properties[v])}</td>
        </tr>`).join(''))
    +'</table>';
    div.innerHTML=table;
    
    return div
    }
    ,{
  "sticky": true,
  "className": "foliumtooltip",
});
                     
    
            geo_json_0011.addTo(feature_group_0009);
        
    
            feature_group_0009.addTo(map_0001);
        
    
            var feature_group_0012 = L.featureGroup(
                {
}
            );
        
    
        function geo_json_0014_styler(feature) {
            switch(feature.properties.partnership_id) {
                default:
                    return {"color": "#b34700", "fillColor": "#b34700", "fillOpacity": 0.08, "weight": 2};
            }
        }

        function geo_json_0014_onEachFeature(feature, layer) {

            layer.on({
            });
        };
        var geo_json_0014 = L.geoJson(null, {
                onEachFeature: geo_json_0014_onEachFeature,
            
                style: geo_json_0014_styler,
            ...{
}
        });

        function geo_json_0014_add (data) {
            geo_json_0014
                .addData(data);
        }
            geo_json_0014_add({"features": [{"geometry": {"coordinates": [[[-2.0988, 52.5261], [-2.1005, 52.5237], [-2.1029, 52.5215], [-2.1059, 52.5196], [-2.1095, 52.5181], [-2.1135, 52.5171], [-2.1178, 52.5166], [-2.1221, 52.5166], [-2.1264, 52.5171], [-2.1304, 52.5181], [-2.134, 52.5196], [-2.1387, 52.5228], [-2.1411, 52.5261], [-2.142, 52.5287], [-2.142, 52.5313], [-2.1412, 52.5339], [-2.1395, 52.5363], [-2.1371, 52.5385], [-2.1341, 52.5404], [-2.1305, 52.5419], [-2.1265, 52.5429], [-2.1222, 52.5434], [-2.1179, 52.5434], [-2.1136, 52.5429], [-2.1096, 52.5419], [-2.106, 52.5404], [-2.1029, 52.5386], [-2.1005, 52.5364], [-2.0988, 52.5339], [-2.098, 52.5313], [-2.098, 52.5287], [-2.0988, 52.5261]]], "type": "Polygon"}, "properties": {"label": "Upper Vale Secondary Group", "partnership_id": "vale-secondaries"}, "type": "Feature"}], "type": "FeatureCollection"});

        
    
    geo_json_0014.bindTooltip(
    function(layer){
    let div = L.DomUtil.create('div');
    
    let handleObject = feature => {
        if (feature === null) {
            return '';
        } else if (typeof(feature)=='object') {
            return JSON.stringify(feature);
        } else {
            return feature;
        }
    }
    let fields = ["label"];
    let aliases = ["label"];
    let table = '<table>' +
        String(
        fields.map(
        (v,i)=>
        `<tr>
            <td>${handleObject(layer.feature.properties[v])}</td>
        </tr>`).join(''))
    +'</table>';
    div.innerHTML=table;
    
    return div
    }
    ,{
  "sticky": true,
  "className": "foliumtooltip",
});
                     
    
            geo_json_0014.addTo(feature_group_0012);
        
    
            var fast_marker_cluster_0015 = (function(){
                var callback = function (row) { return window.dlpLocalOffer.marker(row[0], row[1], row[2]); };

                var data = [[52.5099, -2.0856, "map-project-early-signs"], [52.53, -2.12, "map-project-vale-hub"], [52.508, -2.09, "map-school-800002"], [52.535, -2.125, "map-school-800004"], [52.512, -2.081, "map-school-800001"], [52.53, -2.12, "map-school-800003"]];
                var cluster = L.markerClusterGroup({
  "showCoverageOnHover": false,
  "maxClusterRadius": 60,
  "spiderfyDistanceMultiplier": 1.6,
});
                cluster.options.iconCreateFunction =
                    function (cluster) { return window.dlpLocalOffer.clusterIcon(cluster); };

                for (var i = 0; i < data.length; i++) {
                    var row = data[i];
                    var marker = callback(row);
                    marker.addTo(cluster);
                }

                cluster.addTo(map_0001);
                return cluster;
            })();
        
    
            fast_marker_cluster_0015.addTo(map_0001);
        
    
            var layer_control_0016_layers = {
                base_layers : {
                },
                overlays :  {
                    "Primary consortium areas" : feature_group_0009,
                    "Secondary network areas" : feature_group_0012,
                    "Projects and schools" : fast_marker_cluster_0015,
                },
            };
            let layer_control_0016 = L.control.layers(
                layer_control_0016_layers.base_layers,
                layer_control_0016_layers.overlays,
                {
  "position": "topright",
  "collapsed": true,
  "autoZIndex": true,
}
            ).addTo(map_0001);
