# `start` refuses bad input with EINVAL (and one dmesg line), `2` with
# EOPNOTSUPP (use `unshare -n`), and a writer already in an L3 namespace
# with EBUSY.
ensure_loaded
for bad in '4\n' '33' '3\n\n' ' 3' '3 ' 'x' '0x3' '\n' '3\0' '\x33\x0a\x0a'; do
	expect_write_error EINVAL "$bad" $D/start
done
long=$(printf '%0300d' 0)
expect_write_error EINVAL "$long" $D/start
dmesg | grep -q "l3ns: start: pid [0-9]*: Malformed input refused (EINVAL)" || fail "no dmesg line for EINVAL"
dmesg | grep -q "l3ns: start: write of 300 bytes refused (EINVAL)" || fail "no dmesg line for oversized write"
# The same cap on a file read through seq_file.
expect_write_error EINVAL "$long" $D/info
dmesg | grep -q "l3ns: info: write of 300 bytes refused (EINVAL)" || fail "no dmesg line for oversized info write"
expect_write_error EOPNOTSUPP '2\n' $D/start
assert_eq "still layer 2 after refusals" "layer 2" "$(info_get level)"
out=$(sh -c "echo 3 > $D/start && l3ns-probe write $D/start '3\n'")
assert_eq "second start by the same task" "errno EBUSY" "$out"
out=$(sh -c "echo 3 > $D/start && l3ns-probe write $D/start '3'")
assert_eq "start by a member's child" "errno EBUSY" "$out"
out=$(sh -c "echo 3 > $D/start && l3ns-probe write $D/start '4'")
assert_eq "bad input from a member" "errno EINVAL" "$out"
assert_eq "a good write returns its length" "ok 2" "$(l3ns-probe write $D/start '3\n')"
