# `echo 3 > start` moves the writer into a new L3 namespace whose parent is
# its network namespace; ids count from 1 and are never reused; when the
# last member is gone the namespace is released with one dmesg line.
ensure_loaded
parent=$(netns_inode)
out=$(sh -c "echo 3 > $D/start && cat $D/info") || fail "echo 3 > start failed: $out"
echo "$out"
get() { echo "$out" | sed -n "s/^$1: //p"; }
assert_eq "level" "layer 3" "$(get level)"
id=$(get id)
assert_ge "id" 1 "$id"
assert_eq "net_ns shows the L3 id" "$id" "$(get net_ns)"
assert_eq "members" 1 "$(get members)"
assert_eq "parent is the writer's netns" "$parent" "$(get l2_net_ns)"
assert_eq "the writer's parent shell stays layer 2" "layer 2" "$(info_get level)"
# Ended when its last member was reaped by wait(): gone at once. (The log
# line comes from the reaper work item, shortly after.)
assert_eq "namespace $id gone once its last member was waited for" 0 "$(info_get l3_children)"
wait_for sh -c "dmesg | grep -q 'L3 namespace $id released'" || fail "no release line in dmesg"
dmesg | grep "L3 namespace $id released"
out2=$(sh -c "echo 3 > $D/start && sed -n 's/^id: //p' $D/info")
assert_eq "next id is never a reused one" "$((id + 1))" "$out2"
