cat <<EOF
hello $HOME $((1+1)) $(echo sub)
a \$b \\ \c `echo bq`
EOF
echo after
x=1; cat <<EOF | grep 1
v=$x
EOF
cat <<'EOF'
$HOME `x` \$y
EOF
cat <<-EOF
	indented
	EOF
echo x; cat <<E1 <<E2
one
E1
two
E2
cat <<< "here $((2+3))"
cat > out.txt <<EOF
to a file
EOF
cat out.txt
cat <<EOF
line1
EOF extra
EOF
cat <<EOF
never ended
