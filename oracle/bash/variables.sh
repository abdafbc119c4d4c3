A=1
echo $A
A=x B=y
echo $A$B ${A}z "${B}"
C="a   b"
echo $C
echo "$C"
echo $UNSET_ONE$UNSET_TWO.
D=
echo "[$D]"
echo $0
echo "$?" '$?' \$?
E=5 true
echo ${E}
