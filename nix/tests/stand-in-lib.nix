# A stand-in for the part of nixpkgs' lib that the NixOS modules here use, nixpkgs not being
# reachable where the suite runs (eval-package.nix stands in for its build functions the same
# way). evalModules follows the module system's rules where these modules can tell the
# difference:
#   - a module is a function of { config, lib, pkgs, modulesPath, ... } or an attribute set, with
#     options / config / imports (without options and config, everything but imports is config);
#   - mkIf, mkMerge and mkOverride (mkDefault, mkForce) are pushed into attribute sets, so a
#     condition is only forced where a value is read (config = mkIf cfg.enable { … } works);
#   - at a declared option the definitions of the best priority win, lists are concatenated,
#     attribute sets merged, other values must agree; the result must pass the option's type,
#     else evaluation fails naming the option (as "is not of type" does in nixpkgs);
#   - an option without a definition has its default; without a default, reading it fails.
# Unlike nixpkgs, paths nobody declared are free-form (merged by the same rules, unchecked): the
# NixOS options the modules set (systemd, networking, …) are not declared here.
let
  inherit (builtins) isAttrs isList isFunction isBool isInt isString isPath attrNames concatMap
    filter foldl' head tail all any length elem genList listToAttrs mapAttrs concatStringsSep;

  hasPrefix = prefix: string: builtins.substring 0 (builtins.stringLength prefix) string == prefix;
  unique = foldl' (acc: x: if elem x acc then acc else acc ++ [ x ]) [ ];
  showPath = concatStringsSep ".";
  typeOf = v: if isAttrs v then v._type or null else null;

  mkOption = attrs: attrs // { _type = "option"; };
  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkMerge = contents: { _type = "merge"; inherit contents; };
  mkOverride = priority: content: { _type = "override"; inherit priority content; };

  type = name: check: { inherit name check; };
  types = rec {
    bool = type "boolean" isBool;
    str = type "string" isString;
    lines = str;
    path = type "path" (v: isPath v || (isString v && hasPrefix "/" v));
    package = type "package" (v: (isAttrs v && v ? outPath) || isPath v);
    port = ints.between 0 65535;
    ints = {
      between = lo: hi: type "integer between ${toString lo} and ${toString hi} (both inclusive)"
        (v: isInt v && v >= lo && v <= hi);
      unsigned = type "unsigned integer" (v: isInt v && v >= 0);
    };
    enum = values: type "one of ${concatStringsSep ", " (map builtins.toJSON values)}" (v: elem v values);
    nullOr = t: type "null or ${t.name}" (v: v == null || t.check v);
    listOf = t: type "list of ${t.name}" (v: isList v && all t.check v);
    attrsOf = t: type "attribute set of ${t.name}" (v: isAttrs v && all (n: t.check v.${n}) (attrNames v));
    attrs = type "attribute set" isAttrs;
    lazyAttrsOf = attrsOf;
    anything = type "anything" (_: true);
    unspecified = anything;
    # Checked as an attribute set only: the sub-options' own types and defaults are not applied.
    submodule = _: type "submodule" isAttrs;
  };

  # What a definition is once its properties are peeled off, without forcing a condition.
  peel = def:
    let t = typeOf def; in
    if t == "if" || t == "override" then peel def.content
    else if t == "merge" then map peel def.contents
    else def;
  isNode = def:
    let bare = peel def; in
    if isList bare && typeOf def == "merge" then all isNode def.contents
    else isAttrs bare && typeOf bare == null && !(bare ? outPath);

  # An attribute-set definition as name -> definition, its properties pushed into each attribute.
  pushDown = def:
    let t = typeOf def; in
    if t == "merge" then builtins.zipAttrsWith (_: mkMerge) (map pushDown def.contents)
    else if t == "if" then mapAttrs (_: mkIf def.condition) (pushDown def.content)
    else if t == "override" then mapAttrs (_: mkOverride def.priority) (pushDown def.content)
    else def;

  # Whether a definition defines anything once its conditions are forced.
  live = def:
    let t = typeOf def; in
    if t == "merge" then any live def.contents
    else if t == "if" then def.condition && live def.content
    else if t == "override" then live def.content
    else true;

  # A leaf definition as [ { priority, value } ], conditions forced now.
  discharge = priority: def:
    let t = typeOf def; in
    if t == "merge" then concatMap (discharge priority) def.contents
    else if t == "if" then (if def.condition then discharge priority def.content else [ ])
    else if t == "override" then discharge def.priority def.content
    else [ { inherit priority; value = def; } ];

  mergeValues = path: values:
    if all isList values then builtins.concatLists values
    else if all (v: isAttrs v && !(v ? outPath)) values then foldl' (a: b: a // b) { } values
    else if all (v: v == head values) values then head values
    else throw "The option `${showPath path}' has conflicting definitions: ${builtins.toJSON values}";

  leaf = path: option: defs:
    let
      given = concatMap (discharge 100) defs
        ++ (if option != null && option ? default then [ { priority = 1500; value = option.default; } ] else [ ]);
      best = foldl' (a: d: if d.priority < a then d.priority else a) 100000 given;
      value = mergeValues path (map (d: d.value) (filter (d: d.priority == best) given));
    in
    if given == [ ] then throw "The option `${showPath path}' is used but not defined."
    else if option != null && !(option.type.check value) then
      throw "The option `${showPath path}' is not of type `${option.type.name}'. Value: ${builtins.toJSON value}"
    else value;

  # declared: the option declarations under path (an option, an attribute set of them, or null).
  node = path: declared: defs:
    if typeOf declared == "option" then leaf path declared defs
    else if declared == null && defs != [ ] && !(all isNode defs) then leaf path null defs
    else
      let
        pushed = map pushDown defs;
        defsOf = name: concatMap (p: if p ? ${name} then [ p.${name} ] else [ ]) pushed;
        # Where nothing is declared (attrsOf-like), an attribute only false conditions define is
        # absent, as in nixpkgs; forcing them here cannot loop back (declared nodes keep theirs).
        defined = unique (concatMap attrNames pushed);
        names = if declared == null then filter (name: any live (defsOf name)) defined
          else unique (attrNames declared ++ defined);
      in
      listToAttrs (map (name: {
        inherit name;
        value = node (path ++ [ name ]) (if declared == null then null else declared.${name} or null)
          (defsOf name);
      }) names);

  # Declarations of all modules merged into one tree (each option declared once).
  mergeDeclarations = foldl' (a: b: a // builtins.mapAttrs (n: v:
    if a ? ${n} && typeOf v != "option" && typeOf a.${n} != "option" then mergeDeclarations [ a.${n} v ] else v) b) { };

  evalModules = { modules, specialArgs ? { } }:
    let
      args = specialArgs // { inherit config lib; };
      load = m:
        let
          value = if isPath m || isString m then load1 (import m) else load1 m;
          load1 = x: if isFunction x then x args else x;
        in
        [ value ] ++ concatMap load (value.imports or [ ]);
      all' = concatMap load modules;
      configOf = m: if m ? config || m ? options then m.config or { } else removeAttrs m [ "imports" "_file" "key" ];
      declared = mergeDeclarations (map (m: m.options or { }) all');
      config = node [ ] declared (map configOf all');
    in
    { inherit config; options = declared; };

  lib = {
    inherit mkOption mkIf mkMerge mkOverride types evalModules hasPrefix listToAttrs;
    mkDefault = mkOverride 1000;
    mkForce = mkOverride 50;
    mkEnableOption = name: mkOption { type = types.bool; default = false; description = "Whether to enable ${name}."; };
    literalExpression = text: { _type = "literalExpression"; inherit text; };
    optional = cond: x: if cond then [ x ] else [ ];
    optionals = cond: xs: if cond then xs else [ ];
    optionalAttrs = cond: attrs: if cond then attrs else { };
    concatStringsSep = builtins.concatStringsSep;
    boolToString = b: if b then "true" else "false";
    toList = x: if isList x then x else [ x ];
    escapeShellArg = arg: "'${builtins.replaceStrings [ "'" ] [ "'\\''" ] (toString arg)}'";
    escapeShellArgs = args: concatStringsSep " " (map lib.escapeShellArg args);
    filterAttrs = pred: attrs: listToAttrs (concatMap (n: if pred n attrs.${n} then [ { name = n; value = attrs.${n}; } ] else [ ]) (attrNames attrs));
    mapAttrsToList = f: attrs: map (n: f n attrs.${n}) (attrNames attrs);
    concatLists = builtins.concatLists;
    concatMap = builtins.concatMap;
    inherit (builtins) mapAttrs attrNames filter;
    concatMapAttrs = f: attrs: foldl' (a: n: a // f n attrs.${n}) { } (attrNames attrs);
    recursiveUpdate = a: b: a // mapAttrs (n: v: if isAttrs v && isAttrs (a.${n} or null) then lib.recursiveUpdate a.${n} v else v) b;
  };
in
lib
