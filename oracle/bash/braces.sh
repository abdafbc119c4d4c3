echo {a,b,c} x{1,2}y {a..e} {1..5} {5..1} {01..10..3} {a..k..3} {-2..2}
echo pre{a,b{1,2},}post
echo "{a,b}" '{a,b}' \{a,b\} {a} {} {a,b
echo ${HOME:+x}{1,2} $HOME{1,2}
for i in {1..3}; do echo veth$i; done
echo {1..3}{a,b}
x=1; echo {$x,2}
