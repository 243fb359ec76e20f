# net_ns/ holds `start` and `info` as in patch 11/12 (not its empty `dev`
# stub) plus l3ns's `addr`, `join` and `children`; `info` in an L2
# namespace prints the patch's five lines first, with no kernel address.
# The module parameters are in sysfs, read-only.
ensure_loaded
assert_eq "files" "addr children info join start" "$(ls $D | tr '\n' ' ' | sed 's/ $//')"
assert_eq "start mode" "-rw-rw-rw-" "$(stat -c %A $D/start)"
assert_eq "info mode" "-rw-r--r--" "$(stat -c %A $D/info)"
assert_eq "addr mode" "--w-------" "$(stat -c %A $D/addr)"
assert_eq "join mode" "--w-------" "$(stat -c %A $D/join)"
assert_eq "children mode" "-r--r--r--" "$(stat -c %A $D/children)"
# The parameters are shown read-only, with their defaults.
P=/sys/module/l3ns/parameters
assert_eq "parameters" "max_addrs max_namespaces max_sockets max_tasks" "$(ls $P | tr '\n' ' ' | sed 's/ $//')"
for p in max_addrs max_namespaces max_sockets max_tasks; do
	assert_eq "$p mode" "-r--r--r--" "$(stat -c %A $P/$p)"
done
assert_eq "parameter values" "4096 1024 65536 65536" "$(cat $P/max_addrs $P/max_namespaces $P/max_sockets $P/max_tasks | tr '\n' ' ' | sed 's/ $//')"
cat $D/info
assert_eq "patch lines in order" "nsproxy|nsproxy refcnt|net_ns|net_ns refcnt|level" \
	"$(head -5 $D/info | cut -d: -f1 | tr '\n' '|' | sed 's/|$//')"
assert_eq "level" "layer 2" "$(info_get level)"
assert_eq "net_ns is the netns inode" "$(netns_inode)" "$(info_get net_ns)"
np=$(info_get nsproxy)
echo "$np" | grep -Eq '^[0-9a-f]{16}$|^\(____ptrval____\)$' || fail "nsproxy is not a hashed pointer: '$np'"
grep -qi 'ffff[0-9a-f]\{12\}' $D/info && fail "a kernel address appears in info"
assert_ge "nsproxy refcnt" 1 "$(info_get 'nsproxy refcnt')"
assert_ge "net_ns refcnt" 1 "$(info_get 'net_ns refcnt')"
assert_eq "no L3 children yet" 0 "$(info_get l3_children)"
