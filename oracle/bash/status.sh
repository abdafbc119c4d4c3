# $? and exit statuses, && || and !
true
echo $?
false
echo $?
! true
echo $?
! false
echo $?
false || echo or-ran
true && echo and-ran
false && echo never
echo $?
true || echo never
echo $?
: ignores its arguments
echo $?
true; false; echo "after false: $?"
false
