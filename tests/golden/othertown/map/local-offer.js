window.dlpLocalOffer.load({"projects":[{"key":"early-signs","kind":"primary_consortium","lat":52.50985,"layer":"projects","lon":-2.08555,"partnership":"stourside-primaries","phases":["primary"],"popup":"<div class=\"dlp-popup\"> <p class=\"dlp-popup__title\"><a href=\"../projects/early-signs/\">Early Signs Together</a></p> <p>Primary consortium: <a href=\"../partnerships/stourside-primaries/\">Stourside Primary Cluster</a></p> <p>Themes: Early identification; Workforce development</p> <p>Status: Green: on track (Spring term 2024)</p> </div>","themes":["early_identification","workforce"],"title":"Early Signs Together","url":"../projects/early-signs/"},{"key":"vale-hub","kind":"secondary_network","lat":52.53,"layer":"projects","lon":-2.12,"partnership":"vale-secondaries","phases":["secondary"],"popup":"<div class=\"dlp-popup\"> <p class=\"dlp-popup__title\"><a href=\"../projects/vale-hub/\">Vale Inclusion Hub</a></p> <p>Secondary network: <a href=\"../partnerships/vale-secondaries/\">Upper Vale Secondary Group</a></p> <p>Themes: Inclusion hubs</p> <p>Status: Amber: some concerns (Spring term 2024)</p> </div>","themes":["inclusion_hubs"],"title":"Vale Inclusion Hub","url":"../projects/vale-hub/"}],"schools":[{"key":"800002","kind":"primary_consortium","lat":52.508,"layer":"schools","lon":-2.09,"partnership":"stourside-primaries","phases":["primary"],"popup":"<div class=\"dlp-popup\"> <p class=\"dlp-popup__title\">Canal Side Primary</p> <p>Primary, DY1 2AB</p> <p>Primary consortium: <a href=\"../partnerships/stourside-primaries/#school-800002\">Stourside Primary Cluster</a> (not taking part yet)</p> </div>","themes":["early_identification","workforce"],"title":"Canal Side Primary","url":"../partnerships/stourside-primaries/#school-800002"},{"key":"800004","kind":"citywide","lat":52.535,"layer":"schools","lon":-2.125,"partnership":"borough-wide","phases":["special"],"popup":"<div class=\"dlp-popup\"> <p class=\"dlp-popup__title\">Hillcrest Special School</p> <p>Special school, DY3 2AB</p> <p>City-wide: <a href=\"../partnerships/borough-wide/#school-800004\">Borough-wide Inclusion Service</a></p> </div>","themes":["inclusion_hubs","workforce"],"title":"Hillcrest Special School","url":"../partnerships/borough-wide/#school-800004"},{"key":"800001","kind":"primary_consortium","lat":52.512,"layer":"schools","lon":-2.081,"partnership":"stourside-primaries","phases":["primary"],"popup":"<div class=\"dlp-popup\"> <p class=\"dlp-popup__title\">Stourside Brook Primary</p> <p>Primary, DY1 1AA</p> <p>Primary consortium: <a href=\"../partnerships/stourside-primaries/#school-800001\">Stourside Primary Cluster</a></p> </div>","themes":["early_identification","workforce"],"title":"Stourside Brook Primary","url":"../partnerships/stourside-primaries/#school-800001"},{"key":"800003","kind":"secondary_network","lat":52.53,"layer":"schools","lon":-2.12,"partnership":"vale-secondaries","phases":["secondary"],"popup":"<div class=\"dlp-popup\"> <p class=\"dlp-popup__title\">Upper Vale Academy</p> <p>Secondary, DY3 1AB</p> <p>Secondary network: <a href=\"../partnerships/vale-secondaries/#school-800003\">Upper Vale Secondary Group</a></p> </div>","themes":["inclusion_hubs"],"title":"Upper Vale Academy","url":"../partnerships/vale-secondaries/#school-800003"}]});
var map_0001 = L.map(
                "map_0001",
                {
                    center: [52.51, -2.08],
                    crs: L.CRS.EPSG3857,
                    ...{
  "zoom": 12,
  "zoomControl": true,
  "preferCanvas": false,
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
            geo_json_0008_add({"features": [{"geometry": {"coordinates": [[[-2.08288, 52.49523], [-2.08941, 52.49452], [-2.09599, 52.49502], [-2.10203, 52.49669], [-2.13699, 52.52137], [-2.14491, 52.52913], [-2.14707, 52.53419], [-2.14513, 52.54058], [-2.1385, 52.54568], [-2.13287, 52.5476], [-2.12658, 52.54845], [-2.12015, 52.54816], [-2.11414, 52.54675], [-2.06356, 52.52028], [-2.05918, 52.51416], [-2.06017, 52.5075], [-2.0647, 52.5029], [-2.08288, 52.49523]]], "type": "Polygon"}, "id": "0", "properties": {}, "type": "Feature"}], "type": "FeatureCollection"});

        
    
            geo_json_0008.addTo(map_0001);
        
    
            var feature_group_0009 = L.featureGroup(
                {
}
            );
        
    
        function geo_json_0012_styler(feature) {
            switch(feature.properties.partnership_id) {
                default:
                    return {"color": "#0060a0", "fillColor": "#0060a0", "fillOpacity": 0.08, "weight": 2};
            }
        }
        function geo_json_0012_highlighter(feature) {
            switch(feature.properties.partnership_id) {
                default:
                    return {"fillOpacity": 0.2, "weight": 4};
            }
        }

        function geo_json_0012_onEachFeature(feature, layer) {

            layer.on({
                mouseout: function(e) {
                    if(typeof e.target.setStyle === "function"){
                            geo_json_0012.resetStyle(e.target);
                    }
                },
                mouseover: function(e) {
                    if(typeof e.target.setStyle === "function"){
                        const highlightStyle = geo_json_0012_highlighter(e.target.feature)
                        e.target.setStyle(highlightStyle);
                    }
                },
            });
        };
        var geo_json_0012 = L.geoJson(null, {
                onEachFeature: geo_json_0012_onEachFeature,
            
                style: geo_json_0012_styler,
            ...{
}
        });

        function geo_json_0012_add (data) {
            geo_json_0012
                .addData(data);
        }
            geo_json_0012_add({"features": [{"geometry": {"coordinates": [[[-2.09144, 52.52388], [-2.08744, 52.5249], [-2.08319, 52.52542], [-2.07886, 52.52542], [-2.07461, 52.52491], [-2.0706, 52.5239], [-2.06699, 52.52243], [-2.06375, 52.52042], [-2.06137, 52.51818], [-2.05976, 52.5157], [-2.05898, 52.51307], [-2.05907, 52.5104], [-2.06002, 52.5078], [-2.06234, 52.5048], [-2.06662, 52.50178], [-2.0687, 52.5008], [-2.07289, 52.49947], [-2.07596, 52.49759], [-2.0792, 52.49625], [-2.08322, 52.49518], [-2.0875, 52.49461], [-2.09188, 52.49457], [-2.09618, 52.49506], [-2.10025, 52.49606], [-2.10391, 52.49753], [-2.10706, 52.49943], [-2.10947, 52.50163], [-2.11114, 52.50407], [-2.11199, 52.50666], [-2.112, 52.5093], [-2.11116, 52.5119], [-2.10951, 52.51434], [-2.1071, 52.51654], [-2.10404, 52.51841], [-2.10045, 52.51988], [-2.09812, 52.52053], [-2.09504, 52.52241], [-2.09144, 52.52388]]], "type": "Polygon"}, "properties": {"label": "Stourside Primary Cluster", "partnership_id": "stourside-primaries", "popup": "\u003cdiv class=\"dlp-popup\"\u003e \u003cp class=\"dlp-popup__title\"\u003e\u003ca href=\"../partnerships/stourside-primaries/\"\u003eStourside Primary Cluster\u003c/a\u003e\u003c/p\u003e \u003cp\u003ePrimary consortium: 1 project\u003c/p\u003e \u003c/div\u003e"}, "type": "Feature"}], "type": "FeatureCollection"});

        
    
    geo_json_0012.bindTooltip(
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
                     
    
    geo_json_0012.bindPopup(
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
    let fields = ["popup"];
    let aliases = ["popup"];
    let table = '<table>' +
        String(
        fields.map(
        (v,i)=>
        `<tr>
            <td>${handleObject(layer.feature.properties[v]).toLocaleString()}</td>
        </tr>`).join(''))
    +'</table>';
    div.innerHTML=table;
    
    return div
    }
    ,{
  "className": "foliumpopup",
});
                     
    
            geo_json_0012.addTo(feature_group_0009);
        
    
            feature_group_0009.addTo(map_0001);
        
    
            var feature_group_0013 = L.featureGroup(
                {
}
            );
        
    
        function geo_json_0016_styler(feature) {
            switch(feature.properties.partnership_id) {
                default:
                    return {"color": "#b34700", "fillColor": "#b34700", "fillOpacity": 0.08, "weight": 2};
            }
        }
        function geo_json_0016_highlighter(feature) {
            switch(feature.properties.partnership_id) {
                default:
                    return {"fillOpacity": 0.2, "weight": 4};
            }
        }

        function geo_json_0016_onEachFeature(feature, layer) {

            layer.on({
                mouseout: function(e) {
                    if(typeof e.target.setStyle === "function"){
                            geo_json_0016.resetStyle(e.target);
                    }
                },
                mouseover: function(e) {
                    if(typeof e.target.setStyle === "function"){
                        const highlightStyle = geo_json_0016_highlighter(e.target.feature)
                        e.target.setStyle(highlightStyle);
                    }
                },
            });
        };
        var geo_json_0016 = L.geoJson(null, {
                onEachFeature: geo_json_0016_onEachFeature,
            
                style: geo_json_0016_styler,
            ...{
}
        });

        function geo_json_0016_add (data) {
            geo_json_0016
                .addData(data);
        }
            geo_json_0016_add({"features": [{"geometry": {"coordinates": [[[-2.09883, 52.52611], [-2.10049, 52.52366], [-2.10289, 52.52146], [-2.10595, 52.51959], [-2.10955, 52.51812], [-2.11355, 52.5171], [-2.1178, 52.51658], [-2.12213, 52.51658], [-2.12638, 52.51709], [-2.13039, 52.5181], [-2.134, 52.51956], [-2.13702, 52.5214], [-2.13868, 52.52281], [-2.14115, 52.52606], [-2.142, 52.52865], [-2.14201, 52.5313], [-2.14117, 52.53389], [-2.13952, 52.53634], [-2.13712, 52.53854], [-2.13406, 52.54041], [-2.13046, 52.54188], [-2.12646, 52.5429], [-2.1222, 52.54342], [-2.11787, 52.54342], [-2.11361, 52.54291], [-2.10961, 52.5419], [-2.106, 52.54044], [-2.10293, 52.53857], [-2.10051, 52.53637], [-2.09885, 52.53393], [-2.098, 52.53134], [-2.09799, 52.5287], [-2.09883, 52.52611]]], "type": "Polygon"}, "properties": {"label": "Upper Vale Secondary Group", "partnership_id": "vale-secondaries", "popup": "\u003cdiv class=\"dlp-popup\"\u003e \u003cp class=\"dlp-popup__title\"\u003e\u003ca href=\"../partnerships/vale-secondaries/\"\u003eUpper Vale Secondary Group\u003c/a\u003e\u003c/p\u003e \u003cp\u003eSecondary network: 1 project\u003c/p\u003e \u003c/div\u003e"}, "type": "Feature"}], "type": "FeatureCollection"});

        
    
    geo_json_0016.bindTooltip(
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
                     
    
    geo_json_0016.bindPopup(
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
    let fields = ["popup"];
    let aliases = ["popup"];
    let table = '<table>' +
        String(
        fields.map(
        (v,i)=>
        `<tr>
            <td>${handleObject(layer.feature.properties[v]).toLocaleString()}</td>
        </tr>`).join(''))
    +'</table>';
    div.innerHTML=table;
    
    return div
    }
    ,{
  "className": "foliumpopup",
});
                     
    
            geo_json_0016.addTo(feature_group_0013);
        
    
            var fast_marker_cluster_0017 = (function(){
                var callback = function (row) { return window.dlpLocalOffer.marker(row[2], row[3], row[0], row[1]); };

                var data = [[52.50985, -2.08555, 0, 0], [52.53, -2.12, 0, 1], [52.508, -2.09, 1, 0], [52.535, -2.125, 1, 1], [52.512, -2.081, 1, 2], [52.53, -2.12, 1, 3]];
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
        
    
            fast_marker_cluster_0017.addTo(map_0001);
        
    
            var layer_control_0018_layers = {
                base_layers : {
                },
                overlays :  {
                    "Primary consortium areas" : feature_group_0009,
                    "Secondary network areas" : feature_group_0013,
                    "Projects and schools" : fast_marker_cluster_0017,
                },
            };
            let layer_control_0018 = L.control.layers(
                layer_control_0018_layers.base_layers,
                layer_control_0018_layers.overlays,
                {
  "position": "topright",
  "collapsed": true,
  "autoZIndex": true,
}
            ).addTo(map_0001);
