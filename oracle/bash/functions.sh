f() { echo "[$1] [$#] [$@] [$*]"; return 3; echo no; }
f x y
echo $?
f
function g {
  local v=inner
  echo $v
}
v=outer
g
echo $v
h() {
  for a; do echo "arg $a"; done
  shift
  echo "after shift: $*"
}
h one two "three four"
count() { echo $#; }
count "$@"
count ""
count a "b c"
return
echo $?
shift
echo $?
fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }
fact 5
nested() { inner() { echo inner-defined; }; inner; }
nested
inner
echo $0
