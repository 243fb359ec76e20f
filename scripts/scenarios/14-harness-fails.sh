# The harness fails where it should: a namespace that cannot start inside
# $(ns_with ...) ends the calling shell with status 1 and a FAIL line that
# says why, instead of handing the scenario an empty id to go on with (the
# cold run of 0c6d469 met the old behaviour as a later, unclear EINVAL).
ensure_loaded
net_setup
out=$(sh -c '. /guest/lib.sh; A=$(ns_with 10.9.9.9); echo "went on with id [$A]"' 2>&1)
rc=$?
note "$out"
[ "$rc" = 1 ] || fail "the shell exited $rc, expected 1"
case $out in *"went on"*) fail "the shell went on after ns_with failed" ;; esac
case $out in
*"FAIL: namespace with 10.9.9.9 did not start: "?*) ;;
*) fail "no FAIL line with the holder's error" ;;
esac
wait_for sh -c '. /guest/lib.sh; [ "$(info_get l3_children)" = 0 ]' ||
	fail "the namespace outlived its failed holder"
